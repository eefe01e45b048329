// The LSTM stepper against the whole-sequence run (decode = the whole sequence) and against the float64
// lstmCell chain (h, c and the four gates), on both backends; its count, end, reset and disposal.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { lstmCell } from '../../reference/lstm';
import { relCheck } from '../../util/compare';
import { stepInput } from './common';
import { type LstmParams, lstmGpu, lstmProgram } from './lstm';
import { createLstmStepper, lstmStepCount } from './lstmStepper';
import { bothSteppers, expectResetRepeats, expectStepperEnd, outputAt } from './testing';

const TOL = 1e-5;

describe('LSTM stepper', () => {
  it('steps equal the whole-sequence run and the lstmCell chain (h, c, gates) at b=3, T=37, in=5, H=7, 2 layers, seq-first and batch-first', async () => {
    const gpu = await testGpu();
    for (const batchFirst of [false, true]) {
      const p: LstmParams = { T: 37, b: 3, inSize: 5, hidden: 7, layers: 2, batchFirst };
      const x = lstmProgram.makeInputs(p, 40);
      const full = await lstmGpu(gpu, p, x);
      const { stepper, cpu, before } = await bothSteppers(gpu, createLstmStepper, p, x, lstmStepCount);
      const { T, b, hidden: H, layers } = p;
      // The chain of float64 cells, written out here: layer l's (h, c) after step t.
      const h = Array.from({ length: layers }, (_, l) => x.h0?.slice(l * b * H, (l + 1) * b * H) ?? []);
      const c = Array.from({ length: layers }, (_, l) => x.c0?.slice(l * b * H, (l + 1) * b * H) ?? []);
      for (let t = 0; t < T; t++) {
        const s = await stepper.step();
        const q = await cpu.step();
        expect([s.t, q.t, stepper.k]).toEqual([t, t, t + 1]);
        let input: ArrayLike<number> = stepInput(p, x.x, t);
        const gates: number[] = [];
        for (let l = 0; l < layers; l++) {
          const r = lstmCell(input, h[l], c[l], x.weights[l], b, l === 0 ? p.inSize : H, H);
          [h[l], c[l], input] = [Float32Array.from(r.h), Float32Array.from(r.c), r.h];
          gates.push(...r.gates);
        }
        const want = { h: h.flatMap((v) => [...v]), c: c.flatMap((v) => [...v]), gates };
        for (const k of ['h', 'c', 'gates'] as const) {
          expect(relCheck(s[k], want[k], TOL).ok, `gpu ${k} at t=${t}`).toBe(true);
          expect(relCheck(q[k], want[k], TOL).ok, `cpu ${k} at t=${t}`).toBe(true);
        }
        expect(relCheck(s.y, outputAt(p, full.output, t), TOL).ok, `y at t=${t}`).toBe(true);
        if (t === T - 1) {
          expect(relCheck(s.h, full.hN, TOL).ok).toBe(true);
          expect(relCheck(s.c, full.cN, TOL).ok).toBe(true);
        }
      }
      await expectStepperEnd(gpu, stepper, cpu, before);
    }
  });

  it('the gates lie in their ranges: σ(i), σ(f), σ(o) in [0, 1], tanh(g) in [−1, 1], saturated exactly under biases of ±100', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 3, b: 2, inSize: 3, hidden: 5, layers: 1 };
    const base = lstmProgram.makeInputs(p, 41);
    const pinned = base.weights[0].bih?.map((_, r) => (r % 2 ? 100 : -100)) ?? null;
    const x = { ...base, weights: [{ ...base.weights[0], bih: pinned }] };
    const stepper = await createLstmStepper(gpu, p, x);
    const { gates } = await stepper.step();
    stepper.dispose();
    const H = p.hidden;
    for (let e = 0; e < gates.length; e++) {
      const r = e % (4 * H);
      const tanhGate = r >= 2 * H && r < 3 * H;
      expect(Number.isFinite(gates[e])).toBe(true);
      expect(gates[e]).toBe(tanhGate ? (r % 2 ? 1 : -1) : r % 2 ? 1 : 0);
    }
  });

  it('after reset() the GPU stepper starts again from h0, c0 and repeats its first step bit for bit; disposed, it refuses to step', async () => {
    const gpu = await testGpu();
    const p: LstmParams = { T: 4, b: 2, inSize: 3, hidden: 5, layers: 3, batchFirst: true };
    const x = { ...lstmProgram.makeInputs(p, 42), h0: null };
    await expectResetRepeats(gpu, () => createLstmStepper(gpu, p, x), ['h', 'c', 'gates']);
  });

  it('counts one step per time step: lstmStepCount({T: 1000}) = 1000', () => {
    expect(lstmStepCount({ T: 1000 })).toBe(1000);
  });
});
