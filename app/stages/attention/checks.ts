// The live checks of the attention stage and the step cache laid out for the views. Rows and heads count
// from 0 here; the screen counts tokens and heads from 1.

import { maxAbs, maxAbsDiff, relCheck } from '../../../engine';
import type { AttentionResult, AttentionStep, CheckValue } from './runtime';

/** FlashAttention-2 vs naive attention on the same Q, K, V (GPU kernels, or the two CPU references). */
export function flashNaiveCheck(r: AttentionResult): CheckValue {
  const c = relCheck(r.outputs.outFlash, r.outputs.out, r.tolerance);
  return { maxErr: c.err, tolerance: c.bound };
}

/**
 * Decode steps 1..k (read back one at a time) vs the batched causal run: o_t against row t of O, and, with
 * the mask on, each head's weights against row t of P.
 */
export function decodeCheck(
  r: AttentionResult,
  steps: readonly AttentionStep[],
  k: number,
): CheckValue & { compared: number } {
  const { h, d, causal } = r.params;
  const L = r.inputs.tokens.length;
  const m = Math.min(k, steps.length);
  let err = 0;
  for (let t = 0; t < m; t++) {
    const s = steps[t];
    err = Math.max(err, maxAbsDiff(s.out, r.outputs.outCausal.subarray(t * h * d, (t + 1) * h * d)));
    if (causal)
      for (let hh = 0; hh < h; hh++) {
        const row = r.outputs.P.subarray((hh * L + t) * L, (hh * L + t) * L + t + 1);
        err = Math.max(err, maxAbsDiff(s.weights.subarray(hh * (t + 1), (hh + 1) * (t + 1)), row));
      }
  }
  const scale = Math.max(1, maxAbs(r.outputs.outCausal));
  return { maxErr: err, tolerance: r.tolerance * scale, compared: m };
}

/** One head's block of an (L, heads, d) array as an (L, d) matrix. */
export function headOf(
  a: ArrayLike<number>,
  L: number,
  heads: number,
  d: number,
  head: number,
): Float64Array {
  const out = new Float64Array(L * d);
  for (let i = 0; i < L; i++) for (let c = 0; c < d; c++) out[i * d + c] = a[(i * heads + head) * d + c];
  return out;
}

/** The K/V head a query head reads (GQA): ⌊head · h_k / h⌋. */
export const kvHeadOf = (head: number, h: number, hk: number) => Math.floor((head * hk) / h);

/** The K (or V) cache of one K/V head after k steps as an (L, d) matrix, NaN in rows not appended yet. */
export function cacheRows(
  steps: readonly AttentionStep[],
  k: number,
  L: number,
  p: { hk: number; d: number },
  g: number,
  which: 'k' | 'v',
): Float64Array {
  const out = new Float64Array(L * p.d).fill(Number.NaN);
  for (let t = 0; t < Math.min(k, steps.length); t++)
    for (let c = 0; c < p.d; c++) out[t * p.d + c] = steps[t][which][g * p.d + c];
  return out;
}

/** Head `head`'s attention weights at step k over the L positions, NaN past the cache. */
export function weightsRow(step: AttentionStep | undefined, L: number, head: number): Float64Array {
  const out = new Float64Array(L).fill(Number.NaN);
  if (step) for (let j = 0; j < step.cacheLen; j++) out[j] = step.weights[head * step.cacheLen + j];
  return out;
}

/** The measured time of each step read back so far (ms), NaN past them. */
export function stepTimes(steps: readonly AttentionStep[], L: number, k: number): Float64Array {
  const out = new Float64Array(L).fill(Number.NaN);
  for (let t = 0; t < Math.min(k, steps.length, L); t++) out[t] = steps[t].ms;
  return out;
}
