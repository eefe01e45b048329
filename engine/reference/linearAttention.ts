// CPU references (float64) for linear attention and its decayed forms: the recurrence, the chunked form and
// the quadratic (parallel) form. Layout q,k (B,T,H,K), v and o (B,T,H,V), state (B,H,K,V). Gated variants
// (simple GLA, GLA) reuse these through the optional log-decays g (B,T,H) and gk (B,T,H,K).

type Arr = ArrayLike<number>;

export interface LaShape {
  B: number;
  T: number;
  H: number;
  K: number;
  V: number;
}

export interface LaInputs {
  q: Arr; // (B, T, H, K)
  k: Arr; // (B, T, H, K)
  v: Arr; // (B, T, H, V)
  /** Scalar log-decay per head and step, ≤ 0 (simple GLA). Absent: no decay. */
  g?: Arr | null; // (B, T, H)
  /** Vector log-decay over K (GLA). */
  gk?: Arr | null; // (B, T, H, K)
  initialState?: Arr | null; // (B, H, K, V)
}

export interface LaOutputs {
  o: Float64Array; // (B, T, H, V)
  finalState: Float64Array; // (B, H, K, V)
}

/** fla's default scale K^-0.5. */
export function defaultScale(K: number): number {
  return 1 / Math.sqrt(K);
}

/** S_t = diag(e^{gk_t}) e^{g_t} S_{t−1} + k_t v_tᵀ; o_t = (s q_t)ᵀ S_t. */
export function decayedRecurrent(p: LaShape, x: LaInputs, scale: number): LaOutputs {
  const { B, T, H, K, V } = p;
  const o = new Float64Array(B * T * H * V);
  const S = new Float64Array(B * H * K * V);
  if (x.initialState) for (let i = 0; i < S.length; i++) S[i] = x.initialState[i];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const so = (b * H + h) * K * V;
      for (let t = 0; t < T; t++) {
        const bth = (b * T + t) * H + h;
        const eg = x.g ? Math.exp(x.g[bth]) : 1;
        for (let i = 0; i < K; i++) {
          const d = eg * (x.gk ? Math.exp(x.gk[bth * K + i]) : 1);
          const ki = x.k[bth * K + i];
          for (let j = 0; j < V; j++) S[so + i * V + j] = d * S[so + i * V + j] + ki * x.v[bth * V + j];
        }
        for (let j = 0; j < V; j++) {
          let acc = 0;
          for (let i = 0; i < K; i++) acc += x.q[bth * K + i] * S[so + i * V + j];
          o[bth * V + j] = scale * acc;
        }
      }
    }
  }
  return { o, finalState: S };
}

/** fla normalize_output: o_t /= (s q_t · Σ_{s≤t} k_s) + 1e-10 (the initial state is not counted). */
export function normalizeOutput(p: LaShape, q: Arr, k: Arr, o: Float64Array, scale: number): Float64Array {
  const { B, T, H, K, V } = p;
  const out = new Float64Array(o.length);
  const z = new Float64Array(K);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      z.fill(0);
      for (let t = 0; t < T; t++) {
        const bth = (b * T + t) * H + h;
        let den = 0;
        for (let i = 0; i < K; i++) {
          z[i] += k[bth * K + i];
          den += scale * q[bth * K + i] * z[i];
        }
        for (let j = 0; j < V; j++) out[bth * V + j] = o[bth * V + j] / (den + 1e-10);
      }
    }
  }
  return out;
}

export function linearAttentionRecurrent(
  p: LaShape,
  x: LaInputs,
  scale = defaultScale(p.K),
  normalize = false,
): LaOutputs {
  const r = decayedRecurrent(p, { ...x, g: null, gk: null }, scale);
  return normalize ? { ...r, o: normalizeOutput(p, x.q, x.k, r.o, scale) } : r;
}

/**
 * The chunked form (fla naive_chunk_simple_gla, padded to a multiple of C): per chunk n,
 * O_n = (sQ_n ⊙ e^{G}) S_before(n) + (sQ_n K_nᵀ ⊙ M) V_n with M[t,s] = e^{G_t − G_s} for s ≤ t (diagonal
 * included), G the within-chunk cumulative log-decay; then S = e^{G_last} S + (K_n ⊙ e^{G_last − G})ᵀ V_n.
 */
export function decayedChunked(p: LaShape, x: LaInputs, scale: number, C: number): LaOutputs {
  if (!Number.isInteger(C) || C < 1)
    throw new Error(`chunked linear attention: chunk must be a positive integer, got ${C}`);
  const { B, T, H, K, V } = p;
  const o = new Float64Array(B * T * H * V);
  const S = new Float64Array(B * H * K * V);
  if (x.initialState) for (let i = 0; i < S.length; i++) S[i] = x.initialState[i];
  const G = new Float64Array(C);
  const NC = Math.ceil(T / C);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const so = (b * H + h) * K * V;
      const row = (t: number) => (b * T + t) * H + h;
      for (let n = 0; n < NC; n++) {
        const t0 = n * C;
        const len = Math.min(C, T - t0);
        let acc = 0;
        for (let c = 0; c < C; c++) {
          acc += c < len && x.g ? x.g[row(t0 + c)] : 0; // padded steps carry g = 0, k = v = 0
          G[c] = acc;
        }
        for (let c = 0; c < len; c++) {
          const rt = row(t0 + c);
          for (let j = 0; j < V; j++) {
            let inter = 0;
            for (let i = 0; i < K; i++) inter += x.q[rt * K + i] * S[so + i * V + j];
            let intra = 0;
            for (let s = 0; s <= c; s++) {
              const rs = row(t0 + s);
              let qk = 0;
              for (let i = 0; i < K; i++) qk += x.q[rt * K + i] * x.k[rs * K + i];
              intra += qk * Math.exp(G[c] - G[s]) * x.v[rs * V + j];
            }
            o[rt * V + j] = scale * (Math.exp(G[c]) * inter + intra);
          }
        }
        const gl = G[C - 1];
        for (let i = 0; i < K; i++) {
          for (let j = 0; j < V; j++) {
            let d = 0;
            for (let s = 0; s < len; s++) {
              const rs = row(t0 + s);
              d += Math.exp(gl - G[s]) * x.k[rs * K + i] * x.v[rs * V + j];
            }
            S[so + i * V + j] = Math.exp(gl) * S[so + i * V + j] + d;
          }
        }
      }
    }
  }
  return { o, finalState: S };
}

export function linearAttentionChunked(
  p: LaShape,
  x: LaInputs,
  chunk: number,
  scale = defaultScale(p.K),
  normalize = false,
): LaOutputs {
  const r = decayedChunked(p, { ...x, g: null, gk: null }, scale, chunk);
  return normalize ? { ...r, o: normalizeOutput(p, x.q, x.k, r.o, scale) } : r;
}

/**
 * The quadratic form: A[b,h,t,s] = s q_t·k_s e^{G_t − G_s} for s ≤ t (0 above), o = A V, G = cumsum g.
 * The decay is the masked segment sum Σ_{j=s+1..t} g_j, accumulated per row, never a difference of
 * long cumulative sums. Returns attn (B,H,T,T) too.
 */
export function decayedParallel(
  p: LaShape,
  x: LaInputs,
  scale: number,
): { o: Float64Array; attn: Float64Array } {
  const { B, T, H, K, V } = p;
  const o = new Float64Array(B * T * H * V);
  const attn = new Float64Array(B * H * T * T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const row = (t: number) => (b * T + t) * H + h;
      for (let t = 0; t < T; t++) {
        const rt = row(t);
        const arow = ((b * H + h) * T + t) * T;
        let seg = 0; // Σ_{j=s+1..t} g_j, grown as s walks down from t
        for (let s = t; s >= 0; s--) {
          const rs = row(s);
          let qk = 0;
          for (let i = 0; i < K; i++) qk += x.q[rt * K + i] * x.k[rs * K + i];
          attn[arow + s] = scale * qk * Math.exp(seg);
          if (x.g) seg += x.g[rs];
        }
        for (let j = 0; j < V; j++) {
          let acc = 0;
          for (let s = 0; s <= t; s++) acc += attn[arow + s] * x.v[row(s) * V + j];
          o[rt * V + j] = acc;
        }
      }
    }
  }
  return { o, attn };
}

export function linearAttentionParallel(
  p: LaShape,
  x: LaInputs,
  scale = defaultScale(p.K),
  normalize = false,
): Float64Array {
  const { o } = decayedParallel(p, { ...x, g: null, gk: null }, scale);
  return normalize ? normalizeOutput(p, x.q, x.k, o, scale) : o;
}
