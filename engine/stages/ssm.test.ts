import { describe, expect, it } from 'vitest';
import { type DispatchRecord, kernelCode } from '../gpu/kernel';
import { testGpu } from '../node/testGpu';
import { ssmScanKernel } from '../programs/s4/ssmScan';
import {
  createStepper as createSsmStepper,
  program as ssmStageProgram,
  type SsmStageParams,
  stepCount,
} from './ssm';
import { disposeMidStep, expectClose } from '../util/testing';

const ok = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-3) => expectClose(got, want, rel);

describe('ssm stage program', () => {
  it('matches the CPU reference on the GPU for N=7, L=203, zoh, step input', async () => {
    const gpu = await testGpu();
    const p: SsmStageParams = { N: 7, L: 203, dt: 0.05, disc: 'zoh', signal: 'step' };
    const x = ssmStageProgram.makeInputs(p, 3);
    const before = gpu.liveBuffers.size;
    const run = await ssmStageProgram.run(gpu, p, x, { trace: true });
    const got = run.outputs;
    const want = ssmStageProgram.reference(p, x);
    expect(
      run.trace?.events.some((e) => e.kind === 'write' && e.tensor === 'states' && e.bytes === 4 * 7 * 203),
    ).toBe(true);
    for (const key of Object.keys(want) as Array<keyof typeof want>) ok(got[key], want[key]);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('has the convolution equal the recurrence on the GPU for N=64, L=300, bilinear, noise', async () => {
    const gpu = await testGpu();
    const p: SsmStageParams = { N: 64, L: 300, dt: 0.01, disc: 'bilinear', signal: 'noise' };
    const x = ssmStageProgram.makeInputs(p, 11);
    const got = (await ssmStageProgram.run(gpu, p, x)).outputs;
    ok(got.yConv, got.yRec);
    ok(got.yRec, ssmStageProgram.reference(p, x).yRec);
  });

  it('builds the four input signals with the documented shapes', () => {
    const base = { N: 4, L: 64, dt: 0.1, disc: 'zoh' } as const;
    const u = (signal: SsmStageParams['signal']) => ssmStageProgram.makeInputs({ ...base, signal }, 1).u;
    expect(Array.from(u('step')).indexOf(1)).toBe(8);
    expect(u('step')[63]).toBe(1);
    expect(Array.from(u('spike')).filter((v) => v !== 0)).toEqual([1]);
    expect(u('spike')[8]).toBe(1);
    expect(Math.max(...u('sine'))).toBeCloseTo(1, 2);
    expect(new Set(u('noise')).size).toBe(64);
    expect(ssmStageProgram.makeInputs({ ...base, signal: 'noise' }, 1).D).toBe(0.5);
  });

  it('refuses parameters outside the stage ranges with a message naming the parameter', () => {
    const good: SsmStageParams = { N: 8, L: 64, dt: 0.1, disc: 'zoh', signal: 'step' };
    const bad: Array<[Partial<SsmStageParams>, RegExp]> = [
      [{ N: 0 }, /N must be/],
      [{ N: 65 }, /N must be/],
      [{ N: 2.5 }, /N must be/],
      [{ L: 1025 }, /L must be/],
      [{ dt: 2 }, /dt must be/],
      [{ dt: Number.NaN }, /dt must be/],
      [{ disc: 'euler' as SsmStageParams['disc'] }, /disc must be/],
      [{ signal: 'saw' as SsmStageParams['signal'] }, /signal must be/],
    ];
    for (const [patch, msg] of bad)
      expect(() => ssmStageProgram.makeInputs({ ...good, ...patch }, 1)).toThrow(msg);
  });
});

describe('ssm stepper', () => {
  for (const backend of ['webgpu', 'cpu'] as const) {
    it(`on ${backend} reproduces yRec and the states after L=41 steps (N=5), then resets and refuses step L+1`, async () => {
      const gpu = backend === 'webgpu' ? await testGpu() : null;
      const p: SsmStageParams = { N: 5, L: 41, dt: 0.1, disc: 'bilinear', signal: 'sine' };
      const x = ssmStageProgram.makeInputs(p, 9);
      const ref = ssmStageProgram.reference(p, x);
      const before = gpu?.liveBuffers.size ?? 0;
      const stepper = await createSsmStepper(gpu, p, { Abar: ref.AbarBilinear, Bbar: ref.BbarBilinear }, x);
      expect(stepper.backend).toBe(backend);
      expect(stepper.count).toBe(stepCount(p));
      const ys: number[] = [];
      const xs: number[] = [];
      for (let k = 0; k < p.L; k++) {
        const s = await stepper.step();
        expect(s.k).toBe(k);
        ys.push(s.y);
        xs.push(...s.x);
      }
      expect(stepper.k).toBe(p.L);
      ok(ys, ref.yRec, 1e-4);
      ok(xs, ref.states, 1e-4);
      await expect(stepper.step()).rejects.toThrow(/steps are done/);
      await stepper.reset();
      expect(stepper.k).toBe(0);
      expect((await stepper.step()).y).toBeCloseTo(ys[0], 5);
      stepper.dispose();
      if (gpu) expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('frees its buffers only after a step in flight when disposed during it, and then refuses to step', async () => {
    const gpu = await testGpu();
    const p: SsmStageParams = { N: 8, L: 96, dt: 0.1, disc: 'zoh', signal: 'step' };
    const x = ssmStageProgram.makeInputs(p, 2);
    const ref = ssmStageProgram.reference(p, x);
    const before = gpu.liveBuffers.size;
    const stepper = await createSsmStepper(gpu, p, { Abar: ref.AbarZoh, Bbar: ref.BbarZoh }, x);
    ok([(await disposeMidStep(gpu, before, stepper)).y], [ref.yRec[0]], 1e-4);
  });

  it('records the dispatches of a run: labels, WGSL sources, grid and the buffers bound by name', async () => {
    const gpu = await testGpu();
    const p: SsmStageParams = { N: 4, L: 32, dt: 0.1, disc: 'zoh', signal: 'spike' };
    const run = await ssmStageProgram.run(gpu, p, ssmStageProgram.makeInputs(p, 1));
    const labels = run.dispatches.map((d) => d.label);
    expect(labels[0]).toMatch(/^discretize/);
    expect(labels.at(-1)).toBe('ssmScan.recurrence');
    const scan = run.dispatches.at(-1);
    expect(scan?.sources).toEqual(['common/trace.wgsl', 's4/ssmScan.wgsl']);
    expect(scan?.workgroups).toEqual([1, 1, 1]);
    expect(scan?.prelude).toContain('const T_STATES: u32 = 6u;');
    const bound = Object.fromEntries((scan?.bindings ?? []).map((b) => [b.name, b]));
    expect(bound.p).toMatchObject({ access: 'uniform', bytes: 32 });
    expect(bound.states).toMatchObject({ access: 'read_write', bytes: 4 * 4 * 32 });
    expect(bound.Abar).toMatchObject({ access: 'read', bytes: 4 * 4 * 4 });
    const built = await ssmScanKernel(gpu, 4);
    expect(await kernelCode(scan as DispatchRecord)).toBe(built.code);
  });
});
