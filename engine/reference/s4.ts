// The two views of a discrete linear time-invariant SSM, float64: the kernel K_l = C Ā^l B̄ (Krylov
// powers) and the recurrence x_k = Ā x_{k-1} + B̄ u_k, y_k = C x_k (+ D u_k), for dense (N,N) Ā and for
// diagonal complex Ā; plus the S4 pipeline (discretize, kernel, convolution). No NPLR/Cauchy kernel.

import { causalConv } from './conv';
import { type CVec, type Disc, discretizeBilinearDense, discretizeZohDense } from './discretize';

/** K (L,) with K_l = C Ā^l B̄ for dense Ā (N,N). */
export function s4KernelDense(
  Abar: ArrayLike<number>,
  Bbar: ArrayLike<number>,
  C: ArrayLike<number>,
  L: number,
) {
  const N = Bbar.length;
  if (Abar.length !== N * N || C.length !== N) throw new Error('s4_kernel: Ā must be (N,N), B̄ and C (N,)');
  if (!Number.isInteger(L) || L < 1) throw new Error(`s4_kernel: L must be an integer >= 1 (got ${L})`);
  const K = new Float64Array(L);
  let v = Float64Array.from(Bbar);
  for (let l = 0; l < L; l++) {
    let s = 0;
    for (let n = 0; n < N; n++) s += C[n] * v[n];
    K[l] = s;
    const w = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let t = 0;
      for (let j = 0; j < N; j++) t += Abar[i * N + j] * v[j];
      w[i] = t;
    }
    v = w;
  }
  return K;
}

/** Diagonal complex Ā (N,): K_l = Σ_n C_n Ā_n^l B̄_n (complex; no conjugate-pair factor). */
export function s4KernelDiag(Abar: CVec, Bbar: CVec, C: CVec, L: number): CVec {
  const N = Abar.re.length;
  if (!Number.isInteger(L) || L < 1) throw new Error(`s4_kernel: L must be an integer >= 1 (got ${L})`);
  const K: CVec = { re: new Float64Array(L), im: new Float64Array(L) };
  for (let n = 0; n < N; n++) {
    let vr = C.re[n] * Bbar.re[n] - C.im[n] * Bbar.im[n];
    let vi = C.re[n] * Bbar.im[n] + C.im[n] * Bbar.re[n];
    for (let l = 0; l < L; l++) {
      K.re[l] += vr;
      K.im[l] += vi;
      [vr, vi] = [vr * Abar.re[n] - vi * Abar.im[n], vr * Abar.im[n] + vi * Abar.re[n]];
    }
  }
  return K;
}

/** Dense recurrence: y (L,), x_final (N,), and every state (L,N). y_k = C x_k + D u_k. */
export function ssmScanDense(
  Abar: ArrayLike<number>,
  Bbar: ArrayLike<number>,
  C: ArrayLike<number>,
  u: ArrayLike<number>,
  x0?: ArrayLike<number> | null,
  D = 0,
) {
  const N = Bbar.length;
  const L = u.length;
  if (Abar.length !== N * N || C.length !== N) throw new Error('ssm_scan: Ā must be (N,N), B̄ and C (N,)');
  if (x0 && x0.length !== N) throw new Error(`ssm_scan: x0 must have N=${N} entries`);
  let x = x0 ? Float64Array.from(x0) : new Float64Array(N);
  const y = new Float64Array(L);
  const states = new Float64Array(L * N);
  for (let k = 0; k < L; k++) {
    const w = new Float64Array(N);
    let s = D * u[k];
    for (let i = 0; i < N; i++) {
      let t = Bbar[i] * u[k];
      for (let j = 0; j < N; j++) t += Abar[i * N + j] * x[j];
      w[i] = t;
      s += C[i] * t;
      states[k * N + i] = t;
    }
    x = w;
    y[k] = s;
  }
  return { y, x_final: x, states };
}

/** Diagonal complex recurrence for one channel: y_k = Σ_n C_n x_k[n] (complex). */
export function ssmScanDiag(Abar: CVec, Bbar: CVec, C: CVec, u: ArrayLike<number>, x0?: CVec | null) {
  const N = Abar.re.length;
  const L = u.length;
  const xr = x0 ? Float64Array.from(x0.re) : new Float64Array(N);
  const xi = x0 ? Float64Array.from(x0.im) : new Float64Array(N);
  const y: CVec = { re: new Float64Array(L), im: new Float64Array(L) };
  for (let k = 0; k < L; k++) {
    for (let n = 0; n < N; n++) {
      const r = Abar.re[n] * xr[n] - Abar.im[n] * xi[n] + Bbar.re[n] * u[k];
      const i = Abar.re[n] * xi[n] + Abar.im[n] * xr[n] + Bbar.im[n] * u[k];
      xr[n] = r;
      xi[n] = i;
      y.re[k] += C.re[n] * r - C.im[n] * i;
      y.im[k] += C.re[n] * i + C.im[n] * r;
    }
  }
  return { y, x_final: { re: xr, im: xi } as CVec };
}

export function discretizeDense(A: ArrayLike<number>, B: ArrayLike<number>, dt: number, disc: Disc) {
  if (disc === 'zoh') return discretizeZohDense(A, B, dt);
  if (disc === 'bilinear') return discretizeBilinearDense(A, B, dt);
  throw new Error(`disc must be 'zoh' or 'bilinear' (got ${String(disc)})`);
}

/** Discretize, then K = s4_kernel, then y = K * u. */
export function s4Pipeline(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  C: ArrayLike<number>,
  u: ArrayLike<number>,
  dt: number,
  L: number,
  disc: Disc,
) {
  if (u.length !== L) throw new Error(`s4_pipeline: u has ${u.length} entries, want L=${L}`);
  const { Abar, Bbar } = discretizeDense(A, B, dt, disc);
  const K = s4KernelDense(Abar, Bbar, C, L);
  return { Abar, Bbar, K, y: causalConv(K, u, 1, 1, L) };
}
