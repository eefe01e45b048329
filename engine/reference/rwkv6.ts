// CPU reference (float64) for the RWKV-6 recurrence (fla naive_recurrent_rwkv6), head-first layout:
// q (= r), k, w (B,H,T,K), v (B,H,T,V), u (H,K), state (B,H,K,V). w is the log decay (≤ 0). Each step reads
// o_t = (scale·q_t)ᵀ (S + diag(u) k_t v_tᵀ), then updates S = diag(e^{w_t}) S + k_t v_tᵀ.

import type { LaShape } from './linearAttention';

type Arr = ArrayLike<number>;

/** Linear attention's sizes (batch B, heads H, steps T, key width K, value width V); only the layout differs. */
export type Rwkv6Shape = LaShape;

export interface Rwkv6Inputs {
  q: Arr; // (B, H, T, K)
  k: Arr; // (B, H, T, K)
  v: Arr; // (B, H, T, V)
  w: Arr; // (B, H, T, K) log decay
  u: Arr; // (H, K) bonus of the current token
  s0?: Arr | null; // (B, H, K, V)
}

export function checkRwkv6(p: Rwkv6Shape, x: Rwkv6Inputs): void {
  for (const [key, v] of Object.entries(p))
    if (!Number.isInteger(v) || v < 1) throw new Error(`rwkv6: ${key} must be an integer >= 1 (got ${v})`);
  const { B, H, T, K, V } = p;
  const want: Array<[string, Arr | null | undefined, number]> = [
    ['q', x.q, B * H * T * K],
    ['k', x.k, B * H * T * K],
    ['v', x.v, B * H * T * V],
    ['w', x.w, B * H * T * K],
    ['u', x.u, H * K],
  ];
  if (x.s0) want.push(['initial_state', x.s0, B * H * K * V]);
  for (const [name, a, n] of want)
    if (a && a.length !== n) throw new Error(`rwkv6: ${name} has ${a.length} values, want ${n}`);
}

/** o (B,H,T,V) and the state after step T (B,H,K,V); scale defaults to K^-0.5. */
export function rwkv6Recurrent(p: Rwkv6Shape, x: Rwkv6Inputs, scale = 1 / Math.sqrt(p.K)) {
  checkRwkv6(p, x);
  const { B, H, T, K, V } = p;
  const o = new Float64Array(B * H * T * V);
  const finalState = new Float64Array(B * H * K * V);
  const S = new Float64Array(K * V);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const bh = b * H + h;
      for (let i = 0; i < K * V; i++) S[i] = x.s0 ? x.s0[bh * K * V + i] : 0;
      for (let t = 0; t < T; t++) {
        const kt = (bh * T + t) * K;
        const vt = (bh * T + t) * V;
        for (let j = 0; j < V; j++) {
          let acc = 0;
          for (let i = 0; i < K; i++)
            acc += scale * x.q[kt + i] * (S[i * V + j] + x.u[h * K + i] * x.k[kt + i] * x.v[vt + j]);
          o[vt + j] = acc;
        }
        for (let i = 0; i < K; i++) {
          const decay = Math.exp(x.w[kt + i]);
          for (let j = 0; j < V; j++) S[i * V + j] = decay * S[i * V + j] + x.k[kt + i] * x.v[vt + j];
        }
      }
      finalState.set(S, bh * K * V);
    }
  return { o, finalState };
}
