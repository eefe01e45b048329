// The Elman RNN on the GPU against the float64 reference (2 layers, tanh and relu, seq-first and batch-first),
// the cell step, and the stepper against the full run.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { relCheck } from '../../util/compare';
import { type ElmanParams, elmanReference, elmanRnnGpu, elmanRnnProgram } from './elmanRnn';
import { rnnStepProgram } from './rnnStep';
import { createRnnStepper } from './rnnStepper';

const TOL = 1e-4;

describe('Elman RNN on the GPU', () => {
  for (const nonlinearity of ['tanh', 'relu'] as const) {
    it(`a 2-layer ${nonlinearity} RNN equals the reference at T=37, b=3, in=5, hidden=19`, async () => {
      const gpu = await testGpu();
      const p: ElmanParams = { T: 37, b: 3, inSize: 5, hidden: 19, layers: 2, nonlinearity };
      const x = elmanRnnProgram.makeInputs(p, 21);
      const before = gpu.liveBuffers.size;
      const got = await elmanRnnProgram.run(gpu, p, x);
      const want = elmanRnnProgram.reference(p, x);
      expect(relCheck(got.outputs.output, want.output, TOL).ok).toBe(true);
      expect(relCheck(got.outputs.hN, want.hN, TOL).ok).toBe(true);
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('batch_first, no h0, no biases and hidden=300 (more units than invocations), 3 layers', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 9, b: 2, inSize: 7, hidden: 300, layers: 3, batchFirst: true };
    const base = elmanRnnProgram.makeInputs(p, 22);
    const x = { ...base, h0: null, weights: base.weights.map((w) => ({ ...w, bih: null, bhh: null })) };
    const got = await elmanRnnGpu(gpu, p, x);
    const want = elmanReference(p, x);
    expect(relCheck(got.output, want.output, TOL).ok && relCheck(got.hN, want.hN, TOL).ok).toBe(true);
  });

  it('one cell step on the GPU equals the reference (b=4, in=33, hidden=70)', async () => {
    const gpu = await testGpu();
    const p = { b: 4, inSize: 33, hidden: 70 };
    const x = rnnStepProgram.makeInputs(p, 23);
    const got = await rnnStepProgram.run(gpu, p, x);
    expect(relCheck(got.outputs.hNew, rnnStepProgram.reference(p, x).hNew, TOL).ok).toBe(true);
  });

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
      const { T, b, hidden } = p;
      for (let t = 0; t < T; t++) {
        const s = await stepper.step();
        const c = await cpu.step();
        const want = new Float32Array(b * hidden);
        for (let n = 0; n < b; n++)
          for (let j = 0; j < hidden; j++)
            want[n * hidden + j] = full.output[(batchFirst ? n * T + t : t * b + n) * hidden + j];
        expect(relCheck(s.y, want, 1e-5).ok, `y at t=${t}`).toBe(true);
        expect(relCheck(s.h, c.h, 1e-5).ok, `h at t=${t}`).toBe(true);
        if (t === T - 1) expect(relCheck(s.h, full.hN, 1e-5).ok).toBe(true);
      }
      await expect(stepper.step()).rejects.toThrow(/last step/);
      stepper.reset();
      expect(stepper.t).toBe(0);
      stepper.dispose();
      expect(gpu.liveBuffers.size).toBe(before);
    }
  });

  it('rejects weights of the wrong shape with a clear message, leaking nothing', async () => {
    const gpu = await testGpu();
    const p: ElmanParams = { T: 3, b: 2, inSize: 4, hidden: 5, layers: 2 };
    const x = elmanRnnProgram.makeInputs(p, 25);
    const bad = { ...x, weights: [x.weights[0], { ...x.weights[1], Whh: new Float32Array(7) }] };
    const before = gpu.liveBuffers.size;
    await expect(elmanRnnGpu(gpu, p, bad)).rejects.toThrow(/W_hh_l1 has 7 values, want 25/);
    await expect(elmanRnnGpu(gpu, { ...p, hidden: 0 }, x)).rejects.toThrow(
      /hidden must be a positive integer/,
    );
    expect(gpu.liveBuffers.size).toBe(before);
  });
});
