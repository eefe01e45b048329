// The rnn stage's live checks (two forms of one computation, max difference against the tolerance) and the
// step cache laid out as arrays for the views. Pure functions of the result and the steps read back.

import { type Host, maxAbs, maxAbsDiff } from '../../../engine';
import type { RnnResult, RnnStep } from './runtime';

export interface CheckValue {
  maxErr: number;
  tolerance: number;
}

/** Every batched output from the GPU against the float64 reference, under the program's tolerance. */
export function gpuCpuCheck(
  got: Readonly<Record<string, Host>>,
  want: Readonly<Record<string, Host>>,
  rel: number,
): CheckValue {
  let maxErr = 0;
  let scale = 1;
  for (const [k, w] of Object.entries(want)) {
    maxErr = Math.max(maxErr, maxAbsDiff(got[k], w));
    scale = Math.max(scale, maxAbs(w));
  }
  return { maxErr, tolerance: rel * scale };
}

export type Cell = 'elman' | 'lstm';

/**
 * The stepper's h_1 … h_k of one cell (both samples), read back one step at a time, against the rows of the
 * batched run; for the LSTM at the last step also c_T against the batched c_T.
 */
export function stepperCheck(
  r: RnnResult,
  steps: readonly RnnStep[],
  k: number,
  cell: Cell,
): CheckValue & { compared: number } {
  const m = Math.min(k, steps.length);
  const H = r.params.H;
  const batched = cell === 'elman' ? r.outputs.h : r.outputs.lstmH;
  const got = new Float64Array(m * 2 * H);
  for (let i = 0; i < m; i++) got.set(cell === 'elman' ? steps[i].h : steps[i].lstmH, i * 2 * H);
  let maxErr = maxAbsDiff(got, batched.subarray(0, m * 2 * H));
  const last = steps[m - 1];
  if (cell === 'lstm' && last && m === r.inputs.tokens.length)
    maxErr = Math.max(maxErr, maxAbsDiff(last.c, r.outputs.cN));
  return { maxErr, tolerance: r.tolerance * Math.max(1, maxAbs(batched)), compared: m };
}

/** One (2, H) field of the steps read back so far, sample 0 or 1, as an (H, T) matrix; NaN where not reached. */
export function history(
  steps: readonly RnnStep[],
  k: number,
  T: number,
  H: number,
  field: (s: RnnStep) => ArrayLike<number>,
  sample = 0,
): Float64Array {
  const out = new Float64Array(H * T).fill(Number.NaN);
  for (let t = 0; t < Math.min(k, steps.length, T); t++) {
    const v = field(steps[t]);
    for (let j = 0; j < H; j++) out[j * T + t] = v[sample * H + j];
  }
  return out;
}

/** A number per step read back so far, NaN where not reached: (T,). */
export function perStep(steps: readonly RnnStep[], k: number, T: number, f: (s: RnnStep) => number) {
  const out = new Float64Array(T).fill(Number.NaN);
  for (let t = 0; t < Math.min(k, steps.length, T); t++) out[t] = f(steps[t]);
  return out;
}

/** Sample `sample`'s (H,) slice of a (2, H) pair. */
export const sampleOf = (pair: ArrayLike<number>, H: number, sample = 0): Float64Array =>
  Float64Array.from({ length: H }, (_, j) => pair[sample * H + j]);
