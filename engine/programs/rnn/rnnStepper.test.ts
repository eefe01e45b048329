// The RNN stepper against the full Elman run, step by step, on both backends; its count, end and disposal.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { type ElmanParams, elmanRnnGpu, elmanRnnProgram } from './elmanRnn';
import { createRnnStepper, rnnStepCount } from './rnnStepper';

describe('RNN stepper', () => {
  it('the stepper reproduces the full run step by step for a 2-layer relu RNN, seq-first and batch-first', async () => {
    const gpu = await testGpu();
    for (const batchFirst of [false, true]) {
      const p: ElmanParams = {
        T: 11,
        b: 3,
        inSize: 4,
        hidden: 6,
        layers: 2,
        nonlinearity: 'relu',
        batchFirst,
      };
      const x = elmanRnnProgram.makeInputs(p, 24);
      const full = await elmanRnnGpu(gpu, p, x);
      const before = gpu.liveBuffers.size;
      const stepper = await createRnnStepper(gpu, p, x);
      const cpu = await createRnnStepper(null, p, x);
      expect([stepper.backend, cpu.backend]).toEqual(['webgpu', 'cpu']);
      expect(stepper.count).toBe(rnnStepCount(p));
      const { T, b, hidden } = p;
      for (let t = 0; t < T; t++) {
        const s = await stepper.step();
        const c = await cpu.step();
        expect([s.t, c.t, stepper.k]).toEqual([t, t, t + 1]);
        const want = new Float32Array(b * hidden);
        for (let n = 0; n < b; n++)
          for (let j = 0; j < hidden; j++)
            want[n * hidden + j] = full.output[(batchFirst ? n * T + t : t * b + n) * hidden + j];
        expect(relCheck(s.y, want, 1e-5).ok, `y at t=${t}`).toBe(true);
        expect(relCheck(s.h, c.h, 1e-5).ok, `h at t=${t}`).toBe(true);
        if (t === T - 1) expect(relCheck(s.h, full.hN, 1e-5).ok).toBe(true);
      }
      await expect(stepper.step()).rejects.toThrow(/all 11 steps are done/);
      await expect(cpu.step()).rejects.toThrow(/all 11 steps are done/);
      await stepper.reset();
      expect(stepper.k).toBe(0);
      stepper.dispose();
      expect(gpu.liveBuffers.size).toBe(before);
    }
  });

  it('after reset() the GPU stepper starts again from h0 and repeats its first step bit for bit; disposed, it refuses to step', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 4, b: 2, inSize: 3, hidden: 5, layers: 3 };
    const x = elmanRnnProgram.makeInputs(p, 30);
    const before = gpu.liveBuffers.size;
    const stepper = await createRnnStepper(gpu, p, x);
    const first = await stepper.step();
    await stepper.step();
    await stepper.reset();
    expect(Array.from((await stepper.step()).h)).toEqual(Array.from(first.h));
    stepper.dispose();
    stepper.dispose();
    await expect(stepper.step()).rejects.toThrow(/disposed/);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('counts one step per time step: rnnStepCount({T: 1000}) = 1000', () => {
    expect(rnnStepCount({ T: 1000 })).toBe(1000);
  });
});
