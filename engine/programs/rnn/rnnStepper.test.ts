// The RNN stepper against the full Elman run, step by step, on both backends; its count, end and disposal.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { type ElmanParams, elmanRnnGpu, elmanRnnProgram } from './elmanRnn';
import { createRnnStepper, rnnStepCount } from './rnnStepper';
import { bothSteppers, expectResetRepeats, expectStepperEnd, outputAt } from './testing';

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
      const { stepper, cpu, before } = await bothSteppers(gpu, createRnnStepper, p, x, rnnStepCount);
      const { T } = p;
      for (let t = 0; t < T; t++) {
        const s = await stepper.step();
        const c = await cpu.step();
        expect([s.t, c.t, stepper.k]).toEqual([t, t, t + 1]);
        expect(relCheck(s.y, outputAt(p, full.output, t), 1e-5).ok, `y at t=${t}`).toBe(true);
        expect(relCheck(s.h, c.h, 1e-5).ok, `h at t=${t}`).toBe(true);
        if (t === T - 1) expect(relCheck(s.h, full.hN, 1e-5).ok).toBe(true);
      }
      await expectStepperEnd(gpu, stepper, cpu, before);
    }
  });

  it('after reset() the GPU stepper starts again from h0 and repeats its first step bit for bit; disposed, it refuses to step', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 4, b: 2, inSize: 3, hidden: 5, layers: 3 };
    const x = elmanRnnProgram.makeInputs(p, 30);
    await expectResetRepeats(gpu, () => createRnnStepper(gpu, p, x), ['h']);
  });

  it('counts one step per time step: rnnStepCount({T: 1000}) = 1000', () => {
    expect(rnnStepCount({ T: 1000 })).toBe(1000);
  });
});
