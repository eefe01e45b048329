// The chunked SSD algorithm (Mamba-2 Listing 1) and the full Mamba-2 op, in float64, returning every
// intermediate the stepper shows. T need not be a multiple of the chunk: the last chunk is shorter,
// which equals upstream's zero padding (X = 0, A = 0 after T changes nothing before T).

import { silu, softplus } from './math';
import {
  aIndex,
  bIndex,
  cb,
  checkSsdDims,
  checkSsdInputs,
  type SsdDims,
  type SsdInputs,
  xIndex,
} from './ssd';

export interface SsdChunkedResult {
  Y: Float64Array; // (batch, T, H, P)
  Ydiag: Float64Array; // (batch, T, H, P) phase 1: the intra-chunk (diagonal block) output
  states: Float64Array; // (nC, batch, H, P, N) phase 2: each chunk's own state
  passed: Float64Array; // (nC + 1, batch, H, P, N) phase 3: passed[c] enters chunk c; passed[nC] is final
  finalState: Float64Array; // (batch, H, P, N)
}

export function ssdChunked(d: SsdDims, Q: number, x: SsdInputs): SsdChunkedResult {
  checkSsdDims(d, 'ssd_minimal_discrete');
  checkSsdInputs(d, x, 'ssd_minimal_discrete');
  if (!Number.isInteger(Q) || Q < 1)
    throw new Error(`ssd_minimal_discrete: chunk must be an integer >= 1, got ${Q}`);
  const { batch, T, H, P, N } = d;
  const nC = Math.ceil(T / Q);
  const PN = P * N;
  const Ydiag = new Float64Array(batch * T * H * P);
  const Y = new Float64Array(batch * T * H * P);
  const states = new Float64Array(nC * batch * H * PN);
  const passed = new Float64Array((nC + 1) * batch * H * PN);
  const sOff = (c: number, b: number, h: number) => ((c * batch + b) * H + h) * PN;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      const A = (t: number) => x.A[aIndex(d, b, t, h)];
      if (x.init) for (let i = 0; i < PN; i++) passed[sOff(0, b, h) + i] = x.init[(b * H + h) * PN + i];
      for (let c = 0; c < nC; c++) {
        const c0 = c * Q;
        const c1 = Math.min(T, c0 + Q);
        // 1. diagonal blocks: the quadratic form inside the chunk, with a running masked segment sum.
        for (let t = c0; t < c1; t++) {
          let seg = 0;
          for (let s = t; s >= c0; s--) {
            if (s < t) seg += A(s + 1);
            const w = Math.exp(seg) * cb(d, x, b, h, t, s);
            for (let p = 0; p < P; p++) Ydiag[xIndex(d, b, t, h, p)] += w * x.X[xIndex(d, b, s, h, p)];
          }
        }
        // 2. chunk state: Σ_s exp(Σ_{k=s+1..c1-1} A_k) X_s B_sᵀ.
        const so = sOff(c, b, h);
        let decay = 0;
        for (let s = c1 - 1; s >= c0; s--) {
          if (s < c1 - 1) decay += A(s + 1);
          const w = Math.exp(decay);
          for (let p = 0; p < P; p++) {
            const xv = w * x.X[xIndex(d, b, s, h, p)];
            for (let n = 0; n < N; n++) states[so + p * N + n] += xv * x.B[bIndex(d, b, s, h, n)];
          }
        }
        // 3. state passing: passed[c+1] = exp(Σ_chunk A) passed[c] + S_c.
        let total = 0;
        for (let t = c0; t < c1; t++) total += A(t);
        const ePrev = sOff(c, b, h);
        const eNext = sOff(c + 1, b, h);
        for (let i = 0; i < PN; i++) passed[eNext + i] = Math.exp(total) * passed[ePrev + i] + states[so + i];
        // 4. state to output: y_t += exp(Σ_{k=c0..t} A_k) C_t · passed[c].
        let cum = 0;
        for (let t = c0; t < c1; t++) {
          cum += A(t);
          const e = Math.exp(cum);
          for (let p = 0; p < P; p++) {
            let acc = 0;
            for (let n = 0; n < N; n++) acc += x.C[bIndex(d, b, t, h, n)] * passed[ePrev + p * N + n];
            const i = xIndex(d, b, t, h, p);
            Y[i] = Ydiag[i] + e * acc;
          }
        }
      }
    }
  }
  const finalState = passed.slice(nC * batch * H * PN);
  return { Y, Ydiag, states, passed, finalState };
}

export interface Mamba2Inputs {
  x: ArrayLike<number>; // (batch, T, H, P)
  dt: ArrayLike<number>; // (batch, T, H) raw Δ
  A: ArrayLike<number>; // (H,)
  B: ArrayLike<number>; // (batch, T, G, N)
  C: ArrayLike<number>; // (batch, T, G, N)
  D?: ArrayLike<number> | null; // (H,) or (H, P)
  z?: ArrayLike<number> | null; // (batch, T, H, P)
  dtBias?: ArrayLike<number> | null; // (H,)
}

/** dt' = softplus(dt + dt_bias) (or without softplus), X = x·dt', A·dt'. */
export function mamba2Discretize(
  d: SsdDims,
  x: Mamba2Inputs,
  dtSoftplus: boolean,
): { X: Float64Array; Adt: Float64Array; dt: Float64Array } {
  const n = d.batch * d.T * d.H;
  if (x.dt.length !== n) throw new Error(`mamba2: dt has ${x.dt.length} values, want ${n}`);
  if (x.A.length !== d.H) throw new Error(`mamba2: A has ${x.A.length} values, want H=${d.H}`);
  if (x.dtBias && x.dtBias.length !== d.H)
    throw new Error(`mamba2: dt_bias has ${x.dtBias.length} values, want ${d.H}`);
  const dt = new Float64Array(n);
  const Adt = new Float64Array(n);
  const X = new Float64Array(n * d.P);
  for (let i = 0; i < n; i++) {
    const h = i % d.H;
    let v = x.dt[i] + (x.dtBias ? x.dtBias[h] : 0);
    if (dtSoftplus) v = softplus(v);
    dt[i] = v;
    Adt[i] = x.A[h] * v;
    for (let p = 0; p < d.P; p++) X[i * d.P + p] = x.x[i * d.P + p] * v;
  }
  return { X, Adt, dt };
}

/** out = (y + D x) · silu(z), with D per head (H,) or per channel (H, P); absent D or z are skipped. */
export function mamba2Gate(d: SsdDims, y: ArrayLike<number>, x: Mamba2Inputs): Float64Array {
  const out = new Float64Array(y.length);
  const perChannel = x.D ? x.D.length === d.H * d.P : false;
  if (x.D && !perChannel && x.D.length !== d.H)
    throw new Error(`mamba2: D has ${x.D.length} values, want H or H·P`);
  for (let i = 0; i < y.length; i++) {
    const hp = i % (d.H * d.P);
    let v = y[i];
    if (x.D) v += (perChannel ? x.D[hp] : x.D[Math.floor(hp / d.P)]) * x.x[i];
    if (x.z) v *= silu(x.z[i]);
    out[i] = v;
  }
  return out;
}

/** ssd_chunk_scan_combined_ref: discretize, chunked SSD, then + D x and · silu(z). */
export function mamba2Combined(d: SsdDims, Q: number, x: Mamba2Inputs, dtSoftplus: boolean): Float64Array {
  checkSsdDims(d, 'ssd_chunk_scan_combined');
  const { X, Adt } = mamba2Discretize(d, x, dtSoftplus);
  const { Y } = ssdChunked(d, Q, { X, A: Adt, B: x.B, C: x.C });
  return mamba2Gate(d, Y, x);
}
