// CPU references (float64) for the gated members of the linear-attention family: simple GLA (a scalar
// log-decay per head and step), RetNet retention (a constant decay γ_h per head) and GLA (a decay over K).

import {
  decayedChunked,
  decayedParallel,
  decayedRecurrent,
  defaultScale,
  type LaInputs,
  type LaOutputs,
  type LaShape,
} from './linearAttention';

type Arr = ArrayLike<number>;
export type GatedInputs = LaInputs & { g: Arr }; // g (B, T, H) ≤ 0

export function simpleGlaRecurrent(p: LaShape, x: GatedInputs, scale = defaultScale(p.K)): LaOutputs {
  return decayedRecurrent(p, { ...x, gk: null }, scale);
}

export function simpleGlaChunked(
  p: LaShape,
  x: GatedInputs,
  chunk: number,
  scale = defaultScale(p.K),
): LaOutputs {
  return decayedChunked(p, { ...x, gk: null }, scale, chunk);
}

/** o (B,T,H,V) and attn (B,H,T,T). The parallel form has no initial state. */
export function simpleGlaParallel(p: LaShape, x: GatedInputs, scale = defaultScale(p.K)) {
  return decayedParallel(p, { ...x, gk: null, initialState: null }, scale);
}

/** RetNet's per-head decays γ_h = 1 − 2^{−5−h}. */
export function retentionGammas(H: number): Float64Array {
  return Float64Array.from({ length: H }, (_, h) => 1 - 2 ** (-5 - h));
}

/** (b,x,y,d) -> (b,y,x,d): the two middle axes swapped. */
function swapMiddleAxes(a: Arr, B: number, X: number, Y: number, D: number): Float64Array {
  const out = new Float64Array(B * X * Y * D);
  for (let b = 0; b < B; b++)
    for (let x = 0; x < X; x++)
      for (let y = 0; y < Y; y++)
        for (let d = 0; d < D; d++) out[((b * Y + y) * X + x) * D + d] = a[((b * X + x) * Y + y) * D + d];
  return out;
}

/** (b,h,t,d) -> (b,t,h,d). */
export function headMajorToTimeMajor(a: Arr, B: number, H: number, T: number, D: number): Float64Array {
  return swapMiddleAxes(a, B, H, T, D);
}

/** (b,t,h,d) -> (b,h,t,d). */
export function timeMajorToHeadMajor(a: Arr, B: number, H: number, T: number, D: number): Float64Array {
  return swapMiddleAxes(a, B, T, H, D);
}

/**
 * fla naive_retention, layout (b,h,t,d): o = ((q d^{-1/2}) Kᵀ ⊙ D) V, D[n,m] = γ_h^{n−m} for n ≥ m.
 * Computed directly with the power, not through cumulative sums.
 */
export function retentionParallel(
  p: { B: number; H: number; T: number; K: number; V: number },
  q: Arr,
  k: Arr,
  v: Arr,
): Float64Array {
  const { B, H, T, K, V } = p;
  const gam = retentionGammas(H);
  const s = defaultScale(K);
  const o = new Float64Array(B * H * T * V);
  const a = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const base = (b * H + h) * T;
      for (let n = 0; n < T; n++) {
        for (let m = 0; m <= n; m++) {
          let qk = 0;
          for (let i = 0; i < K; i++) qk += q[(base + n) * K + i] * k[(base + m) * K + i];
          a[m] = s * qk * gam[h] ** (n - m);
        }
        for (let j = 0; j < V; j++) {
          let acc = 0;
          for (let m = 0; m <= n; m++) acc += a[m] * v[(base + m) * V + j];
          o[(base + n) * V + j] = acc;
        }
      }
    }
  }
  return o;
}

/** fla naive_recurrent_gla: S_t = diag(e^{gk_t}) S_{t−1} + k_t v_tᵀ, o_t = (K^-0.5 q_t)ᵀ S_t. */
export function glaRecurrent(p: LaShape, x: LaInputs & { gk: Arr }): LaOutputs {
  return decayedRecurrent(p, { ...x, g: null }, defaultScale(p.K));
}
