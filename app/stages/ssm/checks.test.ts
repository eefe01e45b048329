// Tests of the ssm live checks and of the step cache laid out as arrays.

import { describe, expect, it } from 'vitest';
import type { SsmResult, SsmStep } from './runtime';
import { recConvCheck, stateHistory, stepOutputs, stepperCheck } from './checks';

const L = 4;
const N = 2;
const yRec = new Float32Array([1, 2, -3, 0.5]);
const result = {
  backend: 'cpu',
  params: { N, L, dt: 0.1, disc: 'zoh', signal: 'step' },
  inputs: {
    A: new Float32Array(4),
    B: new Float32Array(2),
    C: new Float32Array(2),
    D: 0,
    u: new Float32Array(L),
  },
  outputs: {
    AbarZoh: new Float32Array(4),
    BbarZoh: new Float32Array(2),
    AbarBilinear: new Float32Array(4),
    BbarBilinear: new Float32Array(2),
    K: new Float32Array(L),
    yConv: new Float32Array([1, 2.001, -3, 0.5]),
    yRec,
    states: new Float32Array([1, 2, 3, 4, 0, 0, 0, 0]), // (L, N): h_1 = (1, 2), h_2 = (3, 4)
  },
  tolerance: 1e-4,
} as SsmResult;
const steps: SsmStep[] = [
  { k: 0, x: new Float32Array([1, 2]), y: 1 },
  { k: 1, x: new Float32Array([3, 4]), y: 2.5 },
];

describe('ssm live checks', () => {
  it('the rec-conv check reports the max difference against tolerance × max(1, max|y|)', () => {
    const c = recConvCheck(result);
    expect(c.maxErr).toBeCloseTo(0.001, 6);
    expect(c.tolerance).toBeCloseTo(3e-4, 12);
  });

  it('the stepper check compares only the steps read back so far, up to k', () => {
    expect(stepperCheck(result, steps, 1)).toMatchObject({ maxErr: 0, compared: 1 });
    expect(stepperCheck(result, steps, 2).maxErr).toBeCloseTo(0.5, 6);
    expect(stepperCheck(result, steps, 4).compared).toBe(2);
    expect(stepperCheck(result, [], 0)).toMatchObject({ maxErr: 0, compared: 0 });
  });

  it('the stepper check also compares the states h_k read back with the batched states', () => {
    const off: SsmStep[] = [steps[0], { k: 1, x: new Float32Array([3, 4.25]), y: 2 }];
    expect(stepperCheck(result, off, 2).maxErr).toBeCloseTo(0.25, 6);
  });

  it('the step cache is laid out as y (L,) and states (N, L) with NaN where not reached', () => {
    const y = stepOutputs(L, steps, 1);
    expect(y[0]).toBe(1);
    expect(y[1]).toBeNaN();
    const h = stateHistory(N, L, steps, 2);
    expect([h[0], h[1], h[L], h[L + 1]]).toEqual([1, 3, 2, 4]);
    expect(h[2]).toBeNaN();
  });
});
