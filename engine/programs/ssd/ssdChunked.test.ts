import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import type { Gpu } from '../../gpu/device';
import { segsum, ssdQuadratic, ssdRecurrent } from '../../reference/ssd';
import { Rng } from '../../util/rng';
import { mamba2Program } from './mamba2Combined';
import { segsumGpu } from './segsum';
import { makeSsdInputs, ssdChunkedGpu, ssdChunkedProgram } from './ssdChunked';
import { ssdQuadraticGpu } from './ssdQuadratic';
import { ssdRecurrentGpu, ssdRecurrentProgram } from './ssdRecurrent';
import { expectClose } from '../../util/testing';

const TOL = 1e-4;
/** The same device with a smaller per-dimension grid limit, so tiny problems fold (and overshoot). */
const smallGrid = (gpu: Gpu, max: number): Gpu => ({
  ...gpu,
  limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: max },
});

const ok = (got: ArrayLike<number>, want: ArrayLike<number>) => expectClose(got, want, TOL);

describe('chunked SSD on the GPU', () => {
  for (const [Q, withInit] of [
    [64, false],
    [64, true],
    [17, false],
    [17, true],
  ] as const) {
    it(`chunked SSD equals the recurrence (GPU and CPU) for b=2, T=300, h=3, p=5, n=7, chunk=${Q}, initial state ${withInit}`, async () => {
      const gpu = await testGpu();
      const p = { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q, withInit };
      const x = makeSsdInputs(p, 100 + Q);
      const before = gpu.liveBuffers.size;
      const ch = await ssdChunkedGpu(gpu, p, x);
      expect(gpu.liveBuffers.size).toBe(before);
      const rec = await ssdRecurrentGpu(gpu, p, x);
      const cpu = ssdRecurrent(p, x);
      ok(ch.Y, cpu.Y);
      ok(ch.finalState, cpu.finalState);
      ok(rec.Y, cpu.Y);
      ok(rec.finalState, cpu.finalState);
      ok(ch.Y, rec.Y);
    });
  }

  it('the quadratic form on the GPU equals the chunked form and the recurrence for T=300, h=3, p=5, n=7', async () => {
    const gpu = await testGpu();
    const p = { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q: 64 };
    const x = makeSsdInputs(p, 7);
    const quad = await ssdQuadraticGpu(gpu, p, x);
    ok(quad.Y, ssdRecurrent(p, x).Y);
    ok(quad.Y, (await ssdChunkedGpu(gpu, p, x)).Y);
  });

  it('groups, P and N wider than one tile (H=4, G=2, P=70, N=40, T=45, chunk=20) match the recurrence', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 45, H: 4, P: 70, N: 40, G: 2, Q: 20, withInit: true };
    const x = makeSsdInputs(p, 3);
    const cpu = ssdRecurrent(p, x);
    const ch = await ssdChunkedGpu(gpu, p, x);
    ok(ch.Y, cpu.Y);
    ok(ch.finalState, cpu.finalState);
    ok((await ssdRecurrentGpu(gpu, p, x)).Y, cpu.Y);
  });

  it('a 256-long chunk with strongly negative A·Δ stays finite and matches the recurrence (T=520)', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 520, H: 2, P: 4, N: 8, G: 1, Q: 256, withInit: true };
    const x = makeSsdInputs(p, 8);
    const rng = new Rng(8);
    x.A = Float32Array.from(x.A, (_, i) => (i % 50 === 0 ? -0.01 : rng.uniform(-6, -2)));
    const got = await ssdChunkedGpu(gpu, p, x);
    expect(got.Y.every(Number.isFinite)).toBe(true);
    expect(got.finalState.every(Number.isFinite)).toBe(true);
    const cpu = ssdRecurrent(p, x);
    ok(got.Y, cpu.Y);
    ok(got.finalState, cpu.finalState);
  });

  it('segsum on the GPU equals the reference (−inf above the diagonal) for 3 rows of T=131', async () => {
    const gpu = await testGpu();
    const x = new Rng(4).uniforms(3 * 131, -2, 0);
    const { out } = await segsumGpu(gpu, { R: 3, T: 131 }, x);
    const want = segsum(x, 3, 131);
    expect(out.filter((v) => v === Number.NEGATIVE_INFINITY).length).toBe(3 * ((131 * 130) / 2));
    ok(out, want);
  });

  it('past 65,535 heads (H=65,537, T=2, P=N=1) the recurrence folds its grid and equals the reference', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 2, H: 65537, P: 1, N: 1, G: 1, Q: 2, withInit: true };
    const x = makeSsdInputs(p, 6);
    const before = gpu.liveBuffers.size;
    const rec = await ssdRecurrentProgram.run(gpu, p, x);
    expect(gpu.liveBuffers.size).toBe(before);
    const cpu = ssdRecurrent(p, x);
    ok(rec.outputs.Y, cpu.Y);
    ok(rec.outputs.finalState, cpu.finalState);
    expect(rec.dispatches[0].workgroups).toEqual([32769, 2, 1]);
  });

  it('on a device of 7 workgroups per dimension every SSD kernel folds its grid (with overshoot) and still equals the reference (b=3, T=40, h=5, chunk=16)', async () => {
    const gpu = smallGrid(await testGpu(), 7);
    const p = { batch: 3, T: 40, H: 5, P: 3, N: 2, G: 1, Q: 16, withInit: true };
    const x = makeSsdInputs(p, 9);
    const cpu = ssdRecurrent(p, x);
    const ch = await ssdChunkedProgram.run(gpu, p, x);
    ok(ch.outputs.Y, cpu.Y);
    ok(ch.outputs.finalState, cpu.finalState);
    // batch·heads × 3 chunks = 45 workgroups in phases 1, 2 and 4: a 7 × 7 grid with 4 to spare.
    expect(ch.dispatches.map((d) => d.workgroups)).toEqual([
      [7, 7, 1],
      [7, 7, 1],
      [5, 3, 1],
      [7, 7, 1],
    ]);
    const quad = await ssdQuadraticGpu(gpu, p, x);
    ok(quad.Y, ssdQuadratic(p, x));
    const rec = await ssdRecurrentProgram.run(gpu, p, x);
    ok(rec.outputs.Y, cpu.Y);
    const m = { ...p, dtSoftplus: true };
    const mx = mamba2Program.makeInputs(m, 9);
    const mg = await mamba2Program.run(gpu, m, mx);
    ok(mg.outputs.out, mamba2Program.reference(m, mx).out);
    const seg = new Rng(2).uniforms(9 * 60, -1, 0);
    const sg = await segsumGpu(gpu, { R: 9, T: 60 }, seg);
    ok(sg.out, segsum(seg, 9, 60));
    for (const d of [
      ...ch.dispatches,
      ...quad.dispatches,
      ...rec.dispatches,
      ...mg.dispatches,
      ...sg.dispatches,
    ])
      expect(Math.max(...d.workgroups), d.label).toBeLessThanOrEqual(7);
  });

  it('rejects a chunk of 0 and groups that do not divide the heads with clear messages', async () => {
    const gpu = await testGpu();
    const p = { batch: 1, T: 8, H: 3, P: 2, N: 2, G: 1, Q: 4 };
    const x = makeSsdInputs(p, 1);
    await expect(ssdChunkedGpu(gpu, { ...p, Q: 0 }, x)).rejects.toThrow(/chunk must be an integer >= 1/);
    await expect(ssdChunkedGpu(gpu, { ...p, G: 2 }, x)).rejects.toThrow(/must divide heads/);
  });
});
