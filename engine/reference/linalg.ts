// Dense float64 linear algebra for the S4 references: matrix products, the matrix exponential
// (Padé-13 scaling and squaring, Higham 2005) and a Gauss-Jordan solve with partial pivoting.
// Row-major square matrices of size n; no blocking, no BLAS: sizes here are at most a few hundred.

export function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** X (n,n) · Y (n,n). */
export function matmul(X: ArrayLike<number>, Y: ArrayLike<number>, n: number): Float64Array {
  const Z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = X[i * n + k];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) Z[i * n + j] += x * Y[k * n + j];
    }
  }
  return Z;
}

/** Max column sum of |M|. */
export function norm1(M: ArrayLike<number>, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(M[i * n + j]);
    best = Math.max(best, s);
  }
  return best;
}

/**
 * Solves M X = R for X, M (n,n), R (n,m), by Gauss-Jordan with partial pivoting.
 * Throws when a pivot is exactly zero (M singular).
 */
export function solve(M: ArrayLike<number>, R: ArrayLike<number>, n: number, m: number): Float64Array {
  const w = n + m;
  const G = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) G[i * w + j] = M[i * n + j];
    for (let j = 0; j < m; j++) G[i * w + n + j] = R[i * m + j];
  }
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(G[r * w + c]) > Math.abs(G[p * w + c])) p = r;
    const pv = G[p * w + c];
    if (pv === 0 || !Number.isFinite(pv)) throw new Error('solve: the matrix is singular');
    if (p !== c) {
      for (let j = 0; j < w; j++) {
        const t = G[c * w + j];
        G[c * w + j] = G[p * w + j];
        G[p * w + j] = t;
      }
    }
    for (let j = 0; j < w; j++) G[c * w + j] /= pv;
    for (let r = 0; r < n; r++) {
      const f = G[r * w + c];
      if (r === c || f === 0) continue;
      for (let j = 0; j < w; j++) G[r * w + j] -= f * G[c * w + j];
    }
  }
  const X = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) X[i * m + j] = G[i * w + n + j];
  return X;
}

const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA13 = 5.371920351148152;

/** e^M for M (n,n): Padé-13 approximant of M/2^s, squared s times. */
export function expm(M: ArrayLike<number>, n: number): Float64Array {
  const nrm = norm1(M, n);
  if (!Number.isFinite(nrm)) throw new Error('expm: the matrix has non-finite entries');
  const s = nrm > THETA13 ? Math.ceil(Math.log2(nrm / THETA13)) : 0;
  const A = Float64Array.from(M, (v) => v / 2 ** s);
  const b = PADE13;
  const I = identity(n);
  const A2 = matmul(A, A, n);
  const A4 = matmul(A2, A2, n);
  const A6 = matmul(A4, A2, n);
  const lin = (cs: number[], Ms: Float64Array[]) => {
    const out = new Float64Array(n * n);
    cs.forEach((c, t) => {
      for (let i = 0; i < n * n; i++) out[i] += c * Ms[t][i];
    });
    return out;
  };
  const U1 = matmul(A6, lin([b[13], b[11], b[9]], [A6, A4, A2]), n);
  const U = matmul(A, lin([1, b[7], b[5], b[3], b[1]], [U1, A6, A4, A2, I]), n);
  const V1 = matmul(A6, lin([b[12], b[10], b[8]], [A6, A4, A2]), n);
  const V = lin([1, b[6], b[4], b[2], b[0]], [V1, A6, A4, A2, I]);
  let R = solve(lin([1, -1], [V, U]), lin([1, 1], [V, U]), n, n);
  for (let k = 0; k < s; k++) R = matmul(R, R, n);
  return R;
}
