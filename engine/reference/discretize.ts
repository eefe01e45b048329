// ZOH and bilinear discretizations of a continuous SSM (A, B, Δ), float64: dense A (N,N) through the
// augmented matrix exponential and a Gauss-Jordan solve, and diagonal complex A (N,) elementwise.

import { expm, identity, solve } from './linalg';

export type Disc = 'zoh' | 'bilinear';

/** A complex vector as two float64 arrays. */
export interface CVec {
  re: Float64Array;
  im: Float64Array;
}

export function checkDt(dt: number, who: string): void {
  if (!Number.isFinite(dt) || dt <= 0) throw new Error(`${who}: dt must be a finite number > 0 (got ${dt})`);
}

function checkDense(A: ArrayLike<number>, B: ArrayLike<number>, who: string): number {
  const N = B.length;
  if (N < 1 || A.length !== N * N)
    throw new Error(`${who}: A must be (N,N) with B (N,); got ${A.length} and ${N}`);
  return N;
}

/** Ā = e^{ΔA}, B̄ = ∫₀^Δ e^{sA} ds B, both read off expm(Δ·[[A, B], [0, 0]]). */
export function discretizeZohDense(A: ArrayLike<number>, B: ArrayLike<number>, dt: number) {
  const N = checkDense(A, B, 'discretize_zoh');
  checkDt(dt, 'discretize_zoh');
  const m = N + 1;
  const M = new Float64Array(m * m);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) M[i * m + j] = dt * A[i * N + j];
    M[i * m + N] = dt * B[i];
  }
  return splitAugmented(expm(M, m), N, m);
}

/** Ā (N,N) and B̄ (N,) read off the first N rows of an augmented [Ā | B̄ | …] matrix whose rows are w wide. */
function splitAugmented(X: Float64Array, N: number, w: number) {
  const Abar = new Float64Array(N * N);
  const Bbar = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) Abar[i * N + j] = X[i * w + j];
    Bbar[i] = X[i * w + N];
  }
  return { Abar, Bbar };
}

/** Ā = (I − Δ/2 A)⁻¹(I + Δ/2 A), B̄ = (I − Δ/2 A)⁻¹ Δ B. */
export function discretizeBilinearDense(A: ArrayLike<number>, B: ArrayLike<number>, dt: number) {
  const N = checkDense(A, B, 'discretize_bilinear');
  checkDt(dt, 'discretize_bilinear');
  const I = identity(N);
  const w = N + 1;
  const M = new Float64Array(N * N);
  const R = new Float64Array(N * w);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      M[i * N + j] = I[i * N + j] - (dt / 2) * A[i * N + j];
      R[i * w + j] = I[i * N + j] + (dt / 2) * A[i * N + j];
    }
    R[i * w + N] = dt * B[i];
  }
  let X: Float64Array;
  try {
    X = solve(M, R, N, w);
  } catch {
    throw new Error(`discretize_bilinear: I − dt/2·A is singular for dt=${dt}`);
  }
  return splitAugmented(X, N, w);
}

/** Diagonal A (complex, any count): ZOH Ā = e^{ΔA}, B̄ = (e^{ΔA}−1)/A·B (Δ·B where A = 0). */
export function discretizeDiag(A: CVec, B: CVec, dt: ArrayLike<number>, disc: Disc, perDt = A.re.length) {
  const n = A.re.length;
  const Abar: CVec = { re: new Float64Array(n), im: new Float64Array(n) };
  const Bbar: CVec = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const d = dt[Math.floor(i / perDt)];
    checkDt(d, `discretize_${disc}`);
    const [ar, ai] = [d * A.re[i], d * A.im[i]];
    let abr: number;
    let abi: number;
    let fr: number; // B̄ = f · B
    let fi: number;
    if (disc === 'zoh') {
      const m = Math.exp(ar);
      abr = m * Math.cos(ai);
      abi = m * Math.sin(ai);
      const er = Math.expm1(ar) * Math.cos(ai) - 2 * Math.sin(ai / 2) ** 2;
      const q = A.re[i] * A.re[i] + A.im[i] * A.im[i];
      if (q === 0) [fr, fi] = [d, 0];
      else [fr, fi] = [(er * A.re[i] + abi * A.im[i]) / q, (abi * A.re[i] - er * A.im[i]) / q];
    } else {
      const [dr, di] = [1 - ar / 2, -ai / 2];
      const q = dr * dr + di * di;
      if (q === 0) throw new Error(`discretize_bilinear: 1 − dt/2·A is zero at index ${i}`);
      const [nr, ni] = [1 + ar / 2, ai / 2];
      abr = (nr * dr + ni * di) / q;
      abi = (ni * dr - nr * di) / q;
      [fr, fi] = [(d * dr) / q, (-d * di) / q];
    }
    Abar.re[i] = abr;
    Abar.im[i] = abi;
    Bbar.re[i] = fr * B.re[i] - fi * B.im[i];
    Bbar.im[i] = fr * B.im[i] + fi * B.re[i];
  }
  return { Abar, Bbar };
}
