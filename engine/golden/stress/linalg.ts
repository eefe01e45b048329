// Plain float64 linear algebra for the S4 stress cases: Taylor expm (scaling and squaring), Gaussian
// elimination, HiPPO-LegS by its closed form, dense ZOH/bilinear, kernels by matrix powers, direct conv.

import { type Arr, type Rng, f, vals } from './common';

export function matmul(a: Arr, b: Arr, n: number): Float64Array {
  const o = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k];
      if (x !== 0) for (let j = 0; j < n; j++) o[i * n + j] += x * b[k * n + j];
    }
  return o;
}
/** expm by scaling and squaring with a 30-term Taylor series. */
export function expmTaylor(m: Arr, n: number): Float64Array {
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(m[i * n + j]);
    norm = Math.max(norm, s);
  }
  const s = norm > 0.25 ? Math.ceil(Math.log2(norm / 0.25)) : 0;
  const a = Float64Array.from(m, (v) => v / 2 ** s);
  const out = new Float64Array(n * n);
  let term: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) term[i * n + i] = 1;
  for (let k = 0; k <= 30; k++) {
    for (let i = 0; i < n * n; i++) out[i] += term[i];
    term = matmul(term, a, n).map((v) => v / (k + 1));
  }
  let r: Float64Array = out;
  for (let i = 0; i < s; i++) r = matmul(r, r, n);
  return r;
}
/** Solves M X = R for X (n x m), Gaussian elimination with partial pivoting. */
export function solve(M: Arr, R: Arr, n: number, m: number): Float64Array {
  const a = Float64Array.from(M);
  const x = Float64Array.from(R);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i * n + c]) > Math.abs(a[p * n + c])) p = i;
    for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
    for (let j = 0; j < m; j++) [x[c * m + j], x[p * m + j]] = [x[p * m + j], x[c * m + j]];
    for (let i = 0; i < n; i++) {
      if (i === c) continue;
      const fct = a[i * n + c] / a[c * n + c];
      for (let j = 0; j < n; j++) a[i * n + j] -= fct * a[c * n + j];
      for (let j = 0; j < m; j++) x[i * m + j] -= fct * x[c * m + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[i * m + j] /= a[i * n + i];
  return x;
}
export function legs(N: number): { A: Float64Array; B: Float64Array } {
  const A = new Float64Array(N * N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1);
    for (let k = 0; k <= n; k++) A[n * N + k] = n > k ? -Math.sqrt((2 * n + 1) * (2 * k + 1)) : -(n + 1);
  }
  return { A, B };
}
export function discDense(A: Arr, B: Arr, N: number, dt: number, disc: string) {
  if (disc === 'zoh') {
    const M = new Float64Array((N + 1) * (N + 1));
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) M[i * (N + 1) + j] = dt * A[i * N + j];
      M[i * (N + 1) + N] = dt * B[i];
    }
    const E = expmTaylor(M, N + 1);
    const Abar = new Float64Array(N * N);
    const Bbar = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) Abar[i * N + j] = E[i * (N + 1) + j];
      Bbar[i] = E[i * (N + 1) + N];
    }
    return { Abar, Bbar };
  }
  const Mi = new Float64Array(N * N);
  const Pl = new Float64Array(N * N);
  for (let i = 0; i < N * N; i++) {
    Mi[i] = (-dt / 2) * A[i];
    Pl[i] = (dt / 2) * A[i];
  }
  for (let i = 0; i < N; i++) {
    Mi[i * N + i] += 1;
    Pl[i * N + i] += 1;
  }
  return {
    Abar: solve(Mi, Pl, N, N),
    Bbar: solve(
      Mi,
      Float64Array.from(B, (v) => v * dt),
      N,
      1,
    ),
  };
}
export function kernelPowers(Abar: Arr, Bbar: Arr, C: Arr, N: number, L: number): Float64Array {
  const K = new Float64Array(L);
  let x = Float64Array.from(Bbar);
  for (let l = 0; l < L; l++) {
    for (let n = 0; n < N; n++) K[l] += C[n] * x[n];
    const nx = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) nx[i] += Abar[i * N + j] * x[j];
    x = nx;
  }
  return K;
}
export function convDirect(K: Arr, u: Arr, L: number): Float64Array {
  const y = new Float64Array(L);
  for (let k = 0; k < L; k++) for (let j = 0; j <= k; j++) y[k] += K[j] * u[k - j];
  return y;
}
/** A well-conditioned random stable dense A: -(I + small) (N, N), float32-exact. */
export function stableDense(r: Rng, N: number): Float64Array {
  const A = vals(r, N * N, 0.3 / Math.sqrt(N));
  for (let i = 0; i < N; i++) A[i * N + i] = f(A[i * N + i] - 1);
  return A;
}

// complex helpers on [re, im]
