// The live checks of the ssm views and the step cache laid out as arrays.

import { maxAbs, maxAbsDiff } from '../../../engine';
import type { SsmResult, SsmStep } from './runtime';

export interface CheckValue {
  maxErr: number;
  tolerance: number;
}

/** Recurrent vs convolution outputs of one batched run, against the program's relative tolerance. */
export function recConvCheck(r: SsmResult): CheckValue {
  return {
    maxErr: maxAbsDiff(r.outputs.yConv, r.outputs.yRec),
    tolerance: r.tolerance * Math.max(1, maxAbs(r.outputs.yRec)),
  };
}

/** The stepper's y_1..y_k and h_1..h_k (read back one step at a time) vs the batched recurrence. */
export function stepperCheck(
  r: SsmResult,
  steps: readonly SsmStep[],
  k: number,
): CheckValue & { compared: number } {
  const m = Math.min(k, steps.length);
  const N = steps[0]?.x.length ?? 0;
  const gotY = new Float64Array(m);
  const gotH = new Float64Array(m * N);
  for (let i = 0; i < m; i++) {
    gotY[i] = steps[i].y;
    gotH.set(steps[i].x, i * N);
  }
  const wantH = r.outputs.states.subarray(0, m * N);
  return {
    maxErr: Math.max(maxAbsDiff(gotY, r.outputs.yRec.subarray(0, m)), maxAbsDiff(gotH, wantH)),
    tolerance: r.tolerance * Math.max(1, maxAbs(r.outputs.yRec), maxAbs(r.outputs.states)),
    compared: m,
  };
}

/** y read back so far, NaN where not reached: (L,). */
export function stepOutputs(L: number, steps: readonly SsmStep[], k: number): Float64Array {
  const y = new Float64Array(L).fill(Number.NaN);
  for (let i = 0; i < Math.min(k, steps.length, L); i++) y[i] = steps[i].y;
  return y;
}

/** States read back so far as an (N, L) matrix (row n is h[n] over time), NaN where not reached. */
export function stateHistory(N: number, L: number, steps: readonly SsmStep[], k: number): Float64Array {
  const out = new Float64Array(N * L).fill(Number.NaN);
  for (let i = 0; i < Math.min(k, steps.length, L); i++)
    for (let n = 0; n < N; n++) out[n * L + i] = steps[i].x[n];
  return out;
}
