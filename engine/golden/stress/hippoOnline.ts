// Stress cases for HiPPO-LegS's online approximation (s4 visualizations.py HiPPOScale, method 'legs'):
// all four discretizations (bilinear, forward, backward, zoh), odd N (1 to 31), L from 1 to 500, a
// constant, a smooth and a random-walk signal, the stacked transitions on the smaller cases. Expected
// values: A and B are lower triangular, so every (I − αA/k) solve is a forward substitution; the zoh
// transition is a Taylor expm (linalg.ts) of A·log((k+1)/k).

import { Rng, type StressCase, f } from './common';
import { expmTaylor, legs } from './linalg';
import { type Params, type Tensors, caseOf, tensor } from './tensors';

/** Solves M X = R for lower-triangular M (N,N), R (N,m), by forward substitution. */
function lowerSolve(M: ArrayLike<number>, R: ArrayLike<number>, N: number, m: number): Float64Array {
  const X = new Float64Array(N * m);
  for (let c = 0; c < m; c++)
    for (let i = 0; i < N; i++) {
      let a = R[i * m + c];
      for (let j = 0; j < i; j++) a -= M[i * N + j] * X[j * m + c];
      X[i * m + c] = a / M[i * N + i];
    }
  return X;
}

/** Ā_k, B̄_k of step k (1-based). */
export function legsStep(N: number, k: number, disc: string) {
  const { A, B } = legs(N);
  const shifted = (alpha: number) =>
    Float64Array.from(A, (v, i) => (i % (N + 1) === 0 ? 1 : 0) + (alpha * v) / k);
  const Bt = B.map((v) => v / k);
  if (disc === 'forward') return { Abar: shifted(1), Bbar: Bt };
  if (disc === 'backward') {
    const M = shifted(-1);
    return { Abar: lowerSolve(M, shifted(0), N, N), Bbar: lowerSolve(M, Bt, N, 1) };
  }
  if (disc === 'bilinear') {
    const M = shifted(-0.5);
    return { Abar: lowerSolve(M, shifted(0.5), N, N), Bbar: lowerSolve(M, Bt, N, 1) };
  }
  if (disc !== 'zoh') throw new Error(`hippo_legs_online: unknown discretization ${disc}`);
  const tau = Math.log((k + 1) / k);
  const Abar = expmTaylor(
    A.map((v) => v * tau),
    N,
  );
  const rhs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) rhs[i] += Abar[i * N + j] * B[j];
    rhs[i] -= B[i];
  }
  return { Abar, Bbar: lowerSolve(A, rhs, N, 1) };
}

export function hippoOnlineExpected(t: Tensors, p: Params, stacked = false): Tensors {
  const N = Number(p.N);
  const disc = String(p.discretization ?? 'bilinear');
  const fs = t.f.data;
  const L = fs.length;
  const coef = new Float64Array(L * N);
  const As = new Float64Array(stacked ? L * N * N : 0);
  const Bs = new Float64Array(stacked ? L * N : 0);
  let c = new Float64Array(N);
  for (let k = 1; k <= L; k++) {
    const { Abar, Bbar } = legsStep(N, k, disc);
    c = Float64Array.from({ length: N }, (_, i) => {
      let a = Bbar[i] * fs[k - 1];
      for (let j = 0; j < N; j++) a += Abar[i * N + j] * c[j];
      return a;
    });
    coef.set(c, (k - 1) * N);
    if (stacked) {
      As.set(Abar, (k - 1) * N * N);
      Bs.set(Bbar, (k - 1) * N);
    }
  }
  // reconstruction at x = 2·linspace(0, 1, L) − 1, oldest sample first: Σ_n sqrt(2n+1) P_n(x) c_L[n]
  const rec = Float64Array.from({ length: L }, (_, j) => {
    const x = L > 1 ? (2 * j) / (L - 1) - 1 : -1;
    let [pPrev, pCur] = [0, 1];
    let a = 0;
    for (let n = 0; n < N; n++) {
      a += Math.sqrt(2 * n + 1) * pCur * c[n];
      [pPrev, pCur] = [pCur, ((2 * n + 1) * x * pCur - n * pPrev) / (n + 1)];
    }
    return a;
  });
  const out: Tensors = { coefficients: tensor([L, N], coef), reconstruction: tensor([L], rec) };
  if (stacked) {
    out.A_stacked = tensor([L, N, N], As);
    out.B_stacked = tensor([L, N], Bs);
  }
  return out;
}

type Signal = 'const' | 'smooth' | 'walk';

interface HippoSpec {
  seed: number;
  N: number;
  L: number;
  disc: 'bilinear' | 'forward' | 'backward' | 'zoh';
  signal: Signal;
  stacked: boolean;
}

const specs: HippoSpec[] = [
  { seed: 7600, N: 31, L: 500, disc: 'bilinear', signal: 'walk', stacked: false },
  { seed: 7601, N: 15, L: 300, disc: 'zoh', signal: 'smooth', stacked: false },
  { seed: 7602, N: 9, L: 200, disc: 'forward', signal: 'smooth', stacked: false },
  { seed: 7603, N: 5, L: 333, disc: 'backward', signal: 'walk', stacked: false },
  { seed: 7604, N: 1, L: 50, disc: 'bilinear', signal: 'const', stacked: true },
  { seed: 7605, N: 3, L: 1, disc: 'zoh', signal: 'walk', stacked: true },
  { seed: 7606, N: 12, L: 64, disc: 'backward', signal: 'smooth', stacked: true },
  // f ≡ 1: c_L[0] = 1 − 1/(2L+1) exactly (c = e₀ is a fixed point of every step)
  { seed: 7607, N: 8, L: 100, disc: 'bilinear', signal: 'const', stacked: false },
  { seed: 7608, N: 7, L: 20, disc: 'forward', signal: 'walk', stacked: true },
  { seed: 7609, N: 11, L: 97, disc: 'zoh', signal: 'walk', stacked: false },
];

function signal(r: Rng, L: number, kind: Signal): Float64Array {
  if (kind === 'const') return new Float64Array(L).fill(1);
  if (kind === 'walk') {
    const walk = new Float64Array(L);
    for (let i = 0, acc = 0; i < L; i++) {
      acc += 0.3 * r.normal();
      walk[i] = f(acc);
    }
    return walk;
  }
  const waves = Array.from({ length: 3 }, () => [
    r.uniform(0.5, 6),
    r.uniform(0, 2 * Math.PI),
    r.uniform(0.3, 1),
  ]);
  return Float64Array.from({ length: L }, (_, i) =>
    f(waves.reduce((a, [fr, ph, amp]) => a + amp * Math.sin((2 * Math.PI * fr * i) / L + ph), 0)),
  );
}

export function hippoOnlineCases(): StressCase[] {
  return specs.map((s) => {
    const r = new Rng(s.seed);
    const params = { N: s.N, discretization: s.disc, max_length: s.L, signal: s.signal };
    return caseOf(
      'hippo_legs_online',
      `hippo_legs_online_N${s.N}_L${s.L}_${s.disc}_${s.signal}`,
      s.seed,
      'HiPPO-LegS online: c_k = Abar_k c_{k-1} + Bbar_k f_k with A/k, B/k discretized per step; reconstruction from c_L on 2 linspace(0,1,L) - 1',
      params,
      { f: tensor([s.L], signal(r, s.L, s.signal)) },
      (t, p) => hippoOnlineExpected(t, p, s.stacked),
    );
  });
}
