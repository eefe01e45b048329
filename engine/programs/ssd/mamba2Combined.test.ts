import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { mamba2Discretize, ssdChunked } from '../../reference/ssdChunked';
import { Rng } from '../../util/rng';
import { makeMamba2Inputs, mamba2Gpu, mamba2Program } from './mamba2Combined';
import { createMamba2Stepper, mamba2StepCount } from './mamba2Stepper';
import { expectClose } from '../../util/testing';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, label = '') =>
  expectClose(got, want, 1e-4, label);

describe('Mamba-2 SSD op on the GPU', () => {
  it('equals the reference with dt + dt_bias above 20, groups (H=4, G=2), D per head and z (T=300, chunk=64)', async () => {
    const gpu = await testGpu();
    const p = { batch: 2, T: 300, H: 4, P: 5, N: 7, G: 2, Q: 64, dtSoftplus: true };
    const x = makeMamba2Inputs(p, 3);
    const rng = new Rng(3);
    x.dt = Float32Array.from(x.dt, (v, i) => (i % 7 === 0 ? rng.uniform(20, 24) : v));
    x.A = Float32Array.from(x.A, (v) => v / 16);
    expect(x.dt.some((v, i) => v + (x.dtBias?.[i % p.H] ?? 0) > 20)).toBe(true);
    const got = await mamba2Program.run(gpu, p, x);
    ok(got.outputs.out, mamba2Program.reference(p, x).out);
  });

  it('without D, z and dt_bias, with D per channel and no softplus, chunk 17 and chunk 500 on T=100', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 100, H: 3, P: 4, N: 6, G: 1, Q: 17, dtSoftplus: false };
    const full = makeMamba2Inputs(p, 9);
    const bare = {
      ...full,
      dt: Float32Array.from(full.dt, (v) => Math.abs(v) * 0.1),
      D: null,
      z: null,
      dtBias: null,
    };
    ok((await mamba2Gpu(gpu, p, bare)).out, mamba2Program.reference(p, bare).out, 'bare');
    const perChannel = { ...bare, D: new Rng(2).normals(p.H * p.P) };
    ok((await mamba2Gpu(gpu, p, perChannel)).out, mamba2Program.reference(p, perChannel).out, 'D (H,P)');
    const long = { ...p, Q: 500 };
    ok((await mamba2Gpu(gpu, long, perChannel)).out, mamba2Program.reference(p, perChannel).out, 'chunk > T');
  });

  it('runs prep, the four SSD phases and the gate in one submission and records each dispatch with its named buffers', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 40, H: 2, P: 3, N: 4, G: 1, Q: 16, dtSoftplus: true };
    const before = gpu.liveBuffers.size;
    const run = await mamba2Program.run(gpu, p, makeMamba2Inputs(p, 4));
    expect(gpu.liveBuffers.size).toBe(before);
    expect(run.dispatches.map((d) => d.label)).toEqual([
      'mamba2.prep',
      'ssd.diag',
      'ssd.chunkState',
      'ssd.statePass',
      'ssd.stateOutput',
      'mamba2.gate',
    ]);
    const [prep, diag, , pass, , gate] = run.dispatches;
    expect(prep.bindings.map((b) => b.name)).toEqual([
      'prm',
      'x',
      'dt',
      'Ahead',
      'dtBias',
      'X',
      'Adt',
      'dtOut',
    ]);
    expect(prep.sources).toContain('ssd/perElement.wgsl');
    // One workgroup per (batch·head, p-tile, chunk·t-tile): 2 heads × 1 × 3 chunks × 1 tile.
    expect(diag.workgroups).toEqual([6, 1, 1]);
    expect(diag.bindings.find((b) => b.name === 'Ydiag')?.bytes).toBe(p.T * p.H * p.P * 4);
    expect(pass.bindings.map((b) => b.name)).toEqual(['prm', 'Acum', 'states', 'init', 'passed', 'trace']);
    expect(gate.bindings.at(-1)).toMatchObject({ name: 'out', access: 'read_write', label: 'mamba2.out' });
  });

  it('the stepper reads back every (chunk, phase) block equal to the float64 intermediates, and its output equals the full run (T=70, chunk=32)', async () => {
    const gpu = await testGpu();
    const p = { batch: 2, T: 70, H: 2, P: 3, N: 5, G: 1, Q: 32, dtSoftplus: true };
    const x = makeMamba2Inputs(p, 12);
    const { X, Adt } = mamba2Discretize(p, x, true);
    const ref = ssdChunked(p, p.Q, { X, A: Adt, B: x.B, C: x.C });
    const sn = p.batch * p.H * p.P * p.N;
    const before = gpu.liveBuffers.size;
    const gpuStepper = await createMamba2Stepper(gpu, p, x);
    const cpuStepper = await createMamba2Stepper(null, p, x);
    expect(mamba2StepCount(p)).toBe(3 * 4);
    expect([gpuStepper.count, cpuStepper.count, gpuStepper.steps.length]).toEqual([12, 12, 12]);
    for (let s = 0; s < gpuStepper.count; s++) {
      const g = await gpuStepper.step();
      const c = await cpuStepper.step();
      expect([g.chunk, g.phase, g.t0, g.t1]).toEqual([c.chunk, c.phase, c.t0, c.t1]);
      expect(g.shape).toEqual(c.shape);
      expect(g.dispatches?.map((d) => d.label)).toEqual([
        ['ssd.diag', 'ssd.chunkState', 'ssd.statePass', 'ssd.stateOutput'][g.phase - 1],
      ]);
      ok(g.data, c.data, `chunk ${g.chunk} phase ${g.phase}`);
      if (g.phase === 2) ok(g.data, ref.states.slice(g.chunk * sn, (g.chunk + 1) * sn));
      if (g.phase === 3) ok(g.data, ref.passed.slice((g.chunk + 1) * sn, (g.chunk + 2) * sn));
    }
    await expect(gpuStepper.step()).rejects.toThrow(/steps are done/);
    const full = (await mamba2Gpu(gpu, p, x)).out;
    ok(await gpuStepper.output(), full, 'stepper output');
    ok(await cpuStepper.output(), full, 'cpu stepper output');
    await gpuStepper.reset();
    expect(gpuStepper.k).toBe(0);
    await expect(gpuStepper.output()).rejects.toThrow(/output needs all 12 steps, 0 done/);
    await cpuStepper.reset();
    ok((await gpuStepper.step()).data, (await cpuStepper.step()).data, 'after reset');
    gpuStepper.dispose();
    expect(gpu.liveBuffers.size).toBe(before);
    await expect(gpuStepper.step()).rejects.toThrow(/disposed/);
    await expect(gpuStepper.output()).rejects.toThrow(/disposed/);
    gpuStepper.dispose();
  });

  it('the stepper counts one chunk of length T when the chunk is longer, and refuses T over 1024', async () => {
    const p = { batch: 1, T: 10, H: 1, P: 2, N: 2, G: 1, Q: 64, dtSoftplus: false };
    const cpu = await createMamba2Stepper(null, p, makeMamba2Inputs(p, 1));
    expect([mamba2StepCount(p), cpu.count, cpu.nChunks]).toEqual([4, 4, 1]);
    const long = { ...p, T: 1025 };
    await expect(createMamba2Stepper(null, long, makeMamba2Inputs(long, 1))).rejects.toThrow(/T ≤ 1024/);
  });
});
