// Tests of the rnn live checks and of the step cache laid out as arrays.

import { describe, expect, it } from 'vitest';
import { gpuCpuCheck, history, perStep, stepperCheck } from './checks';
import type { RnnResult, RnnStep } from './runtime';

const H = 2;
const T = 3;
// (T, 2, H): step t has the sentence's h then the perturbed one's.
const h = new Float32Array([0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 0.35, 0.4, 0.5, 0.6, 0.5, 0.65]);
const result = {
  params: { text: 'a b c', H, d: 1, eps: 1, t0: 1 },
  inputs: { tokens: ['a', 'b', 'c'] },
  outputs: {
    h,
    lstmH: h,
    cN: new Float32Array([1, 2, 1, 2]),
    dh: new Float32Array(T),
    dhLstm: new Float32Array(T),
  },
  tolerance: 1e-4,
} as unknown as RnnResult;
const step = (t: number, dh = 0, c = [0, 0, 0, 0]): RnnStep => ({
  t,
  h: h.slice(2 * t * H, 2 * (t + 1) * H),
  lstmH: h.slice(2 * t * H, 2 * (t + 1) * H),
  c: new Float32Array(c),
  gates: new Float32Array(8 * H),
  dh,
  dhLstm: 0,
  dc: 0,
});

describe('rnn live checks', () => {
  it('the stepper check compares only the steps read back so far, both sentences', () => {
    const steps = [step(0), step(1)];
    expect(stepperCheck(result, steps, 2, 'elman')).toMatchObject({ maxErr: 0, compared: 2 });
    const off = [step(0), { ...step(1), h: new Float32Array([0.3, 0.4, 0.35, 0.45]) }];
    expect(stepperCheck(result, off, 2, 'elman').maxErr).toBeCloseTo(0.05, 6);
    expect(stepperCheck(result, off, 1, 'elman').maxErr).toBe(0);
    expect(stepperCheck(result, [], 0, 'lstm')).toMatchObject({ maxErr: 0, compared: 0 });
  });

  it('the LSTM check also compares c_T with the batched run at the last step', () => {
    const good = [step(0), step(1), step(2, 0, [1, 2, 1, 2])];
    expect(stepperCheck(result, good, 3, 'lstm').maxErr).toBe(0);
    const bad = [step(0), step(1), step(2, 0, [1, 2, 1, 2.5])];
    expect(stepperCheck(result, bad, 3, 'lstm').maxErr).toBeCloseTo(0.5, 6);
    expect(stepperCheck(result, bad, 3, 'elman').maxErr).toBe(0);
  });

  it('the GPU-CPU check takes the largest difference over every output, scaled by the largest value', () => {
    const c = gpuCpuCheck(
      { a: new Float32Array([1, 2]), b: new Float32Array([4]) },
      { a: new Float64Array([1, 2.5]), b: new Float64Array([4]) },
      1e-4,
    );
    expect(c.maxErr).toBeCloseTo(0.5, 6);
    expect(c.tolerance).toBeCloseTo(4e-4, 12);
  });

  it('lays the steps out as (H, T) histories and per-step series with NaN where not reached', () => {
    const steps = [step(0, 0.5), step(1, 0.25)];
    const m = history(steps, 2, T, H, (s) => s.h, 1);
    expect([m[0], m[1], m[T], m[T + 1]].map((v) => Number(v.toFixed(4)))).toEqual([0.1, 0.35, 0.2, 0.4]);
    expect(m[2]).toBeNaN();
    const d = perStep(steps, 1, T, (s) => s.dh);
    expect(d[0]).toBe(0.5);
    expect(d[1]).toBeNaN();
  });
});
