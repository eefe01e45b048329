// CPU reference (float64) for HiPPO-LegS's online approximation (state-spaces/s4 visualizations.py
// HiPPOScale, method 'legs'): the time-varying system c'(t) = (1/t)(A c + B f) with unit steps at
// t = k = 1..L, so step k uses A/k and B/k; the coefficients after every step, and the reconstruction of
// the whole history from the last ones through the scaled Legendre polynomials.

import { hippoLegs } from './hippo';
import { expm, identity, solve } from './linalg';

export type OnlineDisc = 'bilinear' | 'forward' | 'backward' | 'zoh';

/** Ā_k (N,N) and B̄_k (N,) of step k (1-based) for the chosen discretization. */
export function legsTransition(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  N: number,
  k: number,
  disc: OnlineDisc,
) {
  const I = identity(N);
  const At = Float64Array.from(A, (v) => v / k);
  const Bt = Float64Array.from(B, (v) => v / k);
  const plus = (s: number) => Float64Array.from(I, (v, i) => v + s * At[i]);
  if (disc === 'forward') return { Abar: plus(1), Bbar: Bt };
  if (disc === 'backward') {
    const M = plus(-1);
    return { Abar: solve(M, I, N, N), Bbar: solve(M, Bt, N, 1) };
  }
  if (disc === 'bilinear') {
    const M = plus(-0.5);
    return { Abar: solve(M, plus(0.5), N, N), Bbar: solve(M, Bt, N, 1) };
  }
  const Abar = expm(
    Float64Array.from(A, (v) => v * Math.log((k + 1) / k)),
    N,
  );
  const AbarB = new Float64Array(N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) AbarB[i] += Abar[i * N + j] * B[j];
  return {
    Abar,
    Bbar: solve(
      A,
      Float64Array.from(AbarB, (v, i) => v - B[i]),
      N,
      1,
    ),
  };
}

/** Legendre P_0..P_{N-1} at x by the three-term recurrence. */
export function legendre(N: number, x: number): Float64Array {
  const P = new Float64Array(N);
  if (N > 0) P[0] = 1;
  if (N > 1) P[1] = x;
  for (let n = 1; n + 1 < N; n++) P[n + 1] = ((2 * n + 1) * x * P[n] - n * P[n - 1]) / (n + 1);
  return P;
}

/** reconstruction[j] = Σ_n sqrt(2n+1)·P_n(2 s_j − 1)·c[n], s = linspace(0, 1, L): oldest sample first. */
export function legsReconstruct(c: ArrayLike<number>, N: number, L: number): Float64Array {
  return Float64Array.from({ length: L }, (_, j) => {
    const P = legendre(N, L === 1 ? -1 : (2 * j) / (L - 1) - 1);
    let acc = 0;
    for (let n = 0; n < N; n++) acc += Math.sqrt(2 * n + 1) * P[n] * c[n];
    return acc;
  });
}

/** coefficients (L,N): c_k after step k; reconstruction (L,) from c_L; the transitions (L,N,N), (L,N). */
export function hippoLegsOnline(f: ArrayLike<number>, N: number, disc: OnlineDisc = 'bilinear') {
  if (!Number.isInteger(N) || N < 1)
    throw new Error(`hippo_legs_online: N must be an integer >= 1 (got ${N})`);
  const L = f.length;
  const { A, B } = hippoLegs(N);
  const coefficients = new Float64Array(L * N);
  const Astacked = new Float64Array(L * N * N);
  const Bstacked = new Float64Array(L * N);
  let c = new Float64Array(N);
  for (let k = 1; k <= L; k++) {
    const { Abar, Bbar } = legsTransition(A, B, N, k, disc);
    const next = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let acc = Bbar[i] * f[k - 1];
      for (let j = 0; j < N; j++) acc += Abar[i * N + j] * c[j];
      next[i] = acc;
    }
    c = next;
    coefficients.set(c, (k - 1) * N);
    Astacked.set(Abar, (k - 1) * N * N);
    Bstacked.set(Bbar, (k - 1) * N);
  }
  return { coefficients, reconstruction: legsReconstruct(c, N, L), Astacked, Bstacked };
}
