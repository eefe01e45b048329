// SSD (Mamba-2) CPU references in float64: the stable segment sum, the recurrence and the quadratic (dual)
// form. The chunked 4-step algorithm and the full Mamba-2 op live in ssdChunked.ts.

/**
 * Sizes shared by every SSD form. Layouts (row-major): X (batch, T, H, P), A (batch, T, H),
 * B and C (batch, T, G, N) where head hh uses group hh / (H / G), states (batch, H, P, N).
 */
export interface SsdDims {
  batch: number;
  T: number;
  H: number;
  P: number;
  N: number;
  G: number;
}

export interface SsdInputs {
  X: ArrayLike<number>; // (batch, T, H, P) already times Δ
  A: ArrayLike<number>; // (batch, T, H) already A·Δ (log-decay)
  B: ArrayLike<number>; // (batch, T, G, N)
  C: ArrayLike<number>; // (batch, T, G, N)
  init?: ArrayLike<number> | null; // (batch, H, P, N) state before t = 0
}

/** Throws a clear message when the sizes are not positive integers or G does not divide H. */
export function checkSsdDims(d: SsdDims, where: string): void {
  for (const k of ['batch', 'T', 'H', 'P', 'N', 'G'] as const) {
    if (!Number.isInteger(d[k]) || d[k] < 1)
      throw new Error(`${where}: ${k} must be an integer >= 1, got ${d[k]}`);
  }
  if (d.H % d.G !== 0) throw new Error(`${where}: groups G=${d.G} must divide heads H=${d.H}`);
}

/** Checks that every input has the length its shape implies. */
export function checkSsdInputs(d: SsdDims, x: SsdInputs, where: string): void {
  const want: Array<[string, ArrayLike<number> | null | undefined, number]> = [
    ['X', x.X, d.batch * d.T * d.H * d.P],
    ['A', x.A, d.batch * d.T * d.H],
    ['B', x.B, d.batch * d.T * d.G * d.N],
    ['C', x.C, d.batch * d.T * d.G * d.N],
  ];
  if (x.init) want.push(['initial state', x.init, d.batch * d.H * d.P * d.N]);
  for (const [name, a, n] of want) {
    if (a && a.length !== n) throw new Error(`${where}: ${name} has ${a.length} values, want ${n}`);
  }
}

/**
 * segsum over the last axis: x (R, T) -> (R, T, T), out[r,i,j] = Σ_{k=j+1..i} x[r,k] for j ≤ i, −inf above
 * the diagonal. Each row is a masked running sum walked from the diagonal down (never cs_i − cs_j).
 */
export function segsum(x: ArrayLike<number>, R: number, T: number): Float64Array {
  const out = new Float64Array(R * T * T);
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < T; i++) {
      const row = (r * T + i) * T;
      let s = 0;
      out[row + i] = 0;
      for (let j = i - 1; j >= 0; j--) {
        s += x[r * T + j + 1];
        out[row + j] = s;
      }
      for (let j = i + 1; j < T; j++) out[row + j] = Number.NEGATIVE_INFINITY;
    }
  }
  return out;
}

export const xIndex = (d: SsdDims, b: number, t: number, h: number, p: number) =>
  ((b * d.T + t) * d.H + h) * d.P + p;
export const aIndex = (d: SsdDims, b: number, t: number, h: number) => (b * d.T + t) * d.H + h;
export const bIndex = (d: SsdDims, b: number, t: number, h: number, n: number) =>
  ((b * d.T + t) * d.G + Math.floor(h / (d.H / d.G))) * d.N + n;

/** C_t · B_s for head h (through its group). */
export function cb(d: SsdDims, x: SsdInputs, b: number, h: number, t: number, s: number): number {
  let acc = 0;
  for (let n = 0; n < d.N; n++) acc += x.C[bIndex(d, b, t, h, n)] * x.B[bIndex(d, b, s, h, n)];
  return acc;
}

/** h_t = e^{A_t} h_{t−1} + X_t B_tᵀ (h is (P, N)), y_t = h_t C_t. Returns Y and the state after the last step. */
export function ssdRecurrent(d: SsdDims, x: SsdInputs): { Y: Float64Array; finalState: Float64Array } {
  checkSsdDims(d, 'ssd_recurrent');
  checkSsdInputs(d, x, 'ssd_recurrent');
  const { P, N } = d;
  const Y = new Float64Array(d.batch * d.T * d.H * P);
  const finalState = new Float64Array(d.batch * d.H * P * N);
  for (let b = 0; b < d.batch; b++) {
    for (let h = 0; h < d.H; h++) {
      const base = (b * d.H + h) * P * N;
      const st = new Float64Array(P * N);
      if (x.init) for (let i = 0; i < P * N; i++) st[i] = x.init[base + i];
      for (let t = 0; t < d.T; t++) {
        const a = Math.exp(x.A[aIndex(d, b, t, h)]);
        for (let p = 0; p < P; p++) {
          const xv = x.X[xIndex(d, b, t, h, p)];
          let y = 0;
          for (let n = 0; n < N; n++) {
            const v = a * st[p * N + n] + xv * x.B[bIndex(d, b, t, h, n)];
            st[p * N + n] = v;
            y += v * x.C[bIndex(d, b, t, h, n)];
          }
          Y[xIndex(d, b, t, h, p)] = y;
        }
      }
      finalState.set(st, base);
    }
  }
  return { Y, finalState };
}

/** The dual form Y = (L ∘ C Bᵀ) X per (batch, head), L[t,s] = exp(Σ_{k=s+1..t} A_k) for s ≤ t, else 0. */
export function ssdQuadratic(d: SsdDims, x: SsdInputs): Float64Array {
  checkSsdDims(d, 'ssd_naive_quadratic');
  checkSsdInputs(d, x, 'ssd_naive_quadratic');
  const Y = new Float64Array(d.batch * d.T * d.H * d.P);
  for (let b = 0; b < d.batch; b++) {
    for (let h = 0; h < d.H; h++) {
      for (let t = 0; t < d.T; t++) {
        let seg = 0;
        for (let s = t; s >= 0; s--) {
          if (s < t) seg += x.A[aIndex(d, b, s + 1, h)];
          const w = Math.exp(seg) * cb(d, x, b, h, t, s);
          for (let p = 0; p < d.P; p++) Y[xIndex(d, b, t, h, p)] += w * x.X[xIndex(d, b, s, h, p)];
        }
      }
    }
  }
  return Y;
}
