// Stress cases for the S4 kernel, scan, conv and pipeline and for S4D (expected outputs from matrix powers,
// direct sums and the recurrence, never from the engine).

import {
  type CaseData,
  Rng,
  type RawArray,
  type StressCase,
  real,
  cplx,
  f,
  vals,
  unif,
  type Cx,
  cmul,
  cdiv,
  cexp,
  cpow,
  mk,
} from './common';
import { legs32 } from './discretize';
import { discDense, kernelPowers, convDirect, stableDense } from './linalg';

/** s4_kernel with a diagonal Ā (N,): real (K real) and complex (K = C·Āˡ·B̄ complex, no 2Re). */
function s4KernelDiagCases(): StressCase[] {
  const out: StressCase[] = [];
  const r = new Rng(1103);
  const [N, L] = [6, 301];
  const Ar = unif(r, N, 0.5, 0.99);
  const Ai = vals(r, N, 0.1);
  const [Br, Bi, Cr, Ci] = [vals(r, N), vals(r, N), vals(r, N), vals(r, N)];
  const Kr = new Float64Array(L);
  const Kc = [new Float64Array(L), new Float64Array(L)];
  for (let l = 0; l < L; l++)
    for (let n = 0; n < N; n++) {
      Kr[l] += Cr[n] * Ar[n] ** l * Br[n];
      const v = cmul(cmul([Cr[n], Ci[n]], cpow([Ar[n], Ai[n]], l)), [Br[n], Bi[n]]);
      Kc[0][l] += v[0];
      Kc[1][l] += v[1];
    }
  out.push(
    mk(
      's4_kernel',
      `s4_kernel_diag_real_N${N}_L${L}`,
      1103,
      'K[l] = sum C Abar^l Bbar',
      { L },
      {
        Abar: real([N], Ar),
        Bbar: real([N], Br),
        C: real([N], Cr),
      },
      { K: real([L], Kr) },
    ),
  );
  out.push(
    mk(
      's4_kernel',
      `s4_kernel_diag_complex_N${N}_L${L}`,
      1103,
      'K[l] = sum C Abar^l Bbar',
      { L },
      {
        Abar: cplx([N], Ar, Ai),
        Bbar: cplx([N], Br, Bi),
        C: cplx([N], Cr, Ci),
      },
      { K: cplx([L], Kc[0], Kc[1]) },
    ),
  );
  return out;
}

export function s4Cases(): StressCase[] {
  const out: StressCase[] = s4KernelDiagCases();
  const specs: Array<{ N: number; L: number; disc: 'zoh' | 'bilinear'; hippo: boolean; seed: number }> = [
    { N: 9, L: 257, disc: 'zoh', hippo: true, seed: 1100 },
    { N: 16, L: 1000, disc: 'bilinear', hippo: false, seed: 1101 },
    { N: 64, L: 1000, disc: 'zoh', hippo: true, seed: 1102 },
  ];
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { N, L, disc } = s;
    const A = s.hippo ? legs32(N).A : stableDense(r, N);
    const B = s.hippo ? legs32(N).B : vals(r, N);
    const C = vals(r, N);
    const u = vals(r, L);
    const dt = f(1 / L);
    const { Abar, Bbar } = discDense(A, B, N, dt, disc);
    const Af = Float64Array.from(Abar, f);
    const Bf = Float64Array.from(Bbar, f);
    const tag = `${disc}_N${N}_L${L}`;
    /** A case of `fn` named <fn>_<tag>, this spec's seed. */
    const add = (fn: string, semantics: string, ...data: CaseData) =>
      out.push(mk(fn, `${fn}_${tag}`, s.seed, semantics, ...data));
    const K = kernelPowers(Af, Bf, C, N, L);
    const abc = { Abar: real([N, N], Af), Bbar: real([N], Bf), C: real([N], C) };
    add('s4_kernel', 'K[l] = C Abar^l Bbar', { L }, abc, { K: real([L], K) });
    for (const withX0 of [false, true]) {
      const x0 = vals(r, N);
      let x = withX0 ? Float64Array.from(x0) : new Float64Array(N);
      const y = new Float64Array(L);
      for (let k = 0; k < L; k++) {
        const nx = new Float64Array(N);
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < N; j++) nx[i] += Af[i * N + j] * x[j];
          nx[i] += Bf[i] * u[k];
        }
        x = nx;
        for (let i = 0; i < N; i++) y[k] += C[i] * x[i];
      }
      const inputs: Record<string, RawArray> = { ...abc, u: real([L], u) };
      if (withX0) inputs.x0 = real([N], x0);
      out.push(
        mk('ssm_scan', `ssm_scan${withX0 ? '_x0' : ''}_${tag}`, s.seed, 'x_k = Abar x + Bbar u', {}, inputs, {
          y: real([L], y),
          x_final: real([N], x),
        }),
      );
    }
    const Kf = Float64Array.from(K, f);
    add(
      'ssm_conv',
      'y_k = sum K_j u_{k-j}',
      {},
      { K: real([L], Kf), u: real([L], u) },
      { y: real([L], convDirect(Kf, u, L)) },
    );
    const Kp = kernelPowers(Abar, Bbar, C, N, L);
    add(
      's4_pipeline',
      'discretize, kernel, conv',
      { dt, L, disc },
      {
        A: real([N, N], A),
        B: real([N], B),
        C: real([N], C),
        u: real([L], u),
      },
      {
        Abar: real([N, N], Abar),
        Bbar: real([N], Bbar),
        K: real([L], Kp),
        y: real([L], convDirect(Kp, u, L)),
      },
    );
  }
  return out;
}

export function s4dCases(): StressCase[] {
  const out: StressCase[] = [];
  {
    const r = new Rng(1200);
    const [H, N2, L] = [3, 5, 777];
    const logDt = unif(r, H, Math.log(0.001), Math.log(0.1));
    const Cre = vals(r, H * N2, 0.7);
    const Cim = vals(r, H * N2, 0.7);
    const lar = Float64Array.from({ length: H * N2 }, () => f(Math.log(0.5)));
    const aim = Float64Array.from({ length: H * N2 }, (_, i) => f(Math.PI * (i % N2)));
    const K = new Float64Array(H * L);
    for (let h = 0; h < H; h++) {
      const dt = Math.exp(logDt[h]);
      for (let n = 0; n < N2; n++) {
        const i = h * N2 + n;
        const a: Cx = [-Math.exp(lar[i]), aim[i]];
        const dA: Cx = [dt * a[0], dt * a[1]];
        const e = cexp(dA);
        const ct = cmul([Cre[i], Cim[i]], cdiv([e[0] - 1, e[1]], a));
        for (let l = 0; l < L; l++) K[h * L + l] += 2 * cmul(ct, cexp([dA[0] * l, dA[1] * l]))[0];
      }
    }
    out.push(
      mk(
        's4d_minimal_kernel',
        `s4d_minimal_kernel_H${H}_N${2 * N2}_L${L}`,
        1200,
        'S4DKernel.forward',
        { L },
        {
          log_dt: real([H], logDt),
          C: cplx([H, N2], Cre, Cim),
          log_A_real: real([H, N2], lar),
          A_imag: real([H, N2], aim),
        },
        { K: real([H, L], K) },
      ),
    );
  }
  for (const [disc, H, N2, L, seed] of [
    ['zoh', 3, 7, 1000, 1201],
    ['bilinear', 5, 3, 129, 1202],
    ['zoh', 8, 32, 1000, 1204],
    ['bilinear', 4, 64, 1000, 1205],
  ] as const) {
    const r = new Rng(seed);
    const Are = unif(r, H * N2, -1, -0.2);
    const Aim = Float64Array.from({ length: H * N2 }, (_, i) => f(Math.PI * (i % N2) + r.next()));
    const [Bre, Bim, Cre, Cim] = [
      vals(r, H * N2, 0.5),
      vals(r, H * N2, 0.5),
      vals(r, H * N2, 0.5),
      vals(r, H * N2, 0.5),
    ];
    const dts = unif(r, H, 0.001, 0.1);
    const K = new Float64Array(H * L);
    for (let h = 0; h < H; h++)
      for (let n = 0; n < N2; n++) {
        const i = h * N2 + n;
        const a: Cx = [Are[i], Aim[i]];
        const dt = dts[h];
        const dA: Cx = [dt * a[0], dt * a[1]];
        const bc = cmul([Bre[i], Bim[i]], [Cre[i], Cim[i]]);
        let ct: Cx;
        let Ab: Cx;
        if (disc === 'zoh') {
          Ab = cexp(dA);
          ct = cmul(bc, cdiv([Ab[0] - 1, Ab[1]], a));
        } else {
          const den: Cx = [1 - dA[0] / 2, -dA[1] / 2];
          Ab = cdiv([1 + dA[0] / 2, dA[1] / 2], den);
          ct = cdiv([bc[0] * dt, bc[1] * dt], den);
        }
        for (let l = 0; l < L; l++) K[h * L + l] += 2 * cmul(ct, cpow(Ab, l))[0];
      }
    out.push(
      mk(
        's4d_kernel',
        `s4d_kernel_${disc}_H${H}_N${2 * N2}_L${L}`,
        seed,
        'SSMKernelDiag.forward',
        { L, disc },
        {
          A: cplx([H, N2], Are, Aim),
          B: cplx([H, N2], Bre, Bim),
          C: cplx([H, N2], Cre, Cim),
          dt: real([H], dts),
        },
        { K: real([H, L], K) },
      ),
    );
  }
  for (const [Bt, H, L, seed] of [
    [2, 3, 999, 1203],
    [2, 64, 1000, 1206],
  ]) {
    const r = new Rng(seed);
    const u = vals(r, Bt * H * L);
    const K = vals(r, H * L, 0.05);
    const D = vals(r, H);
    const y = new Float64Array(Bt * H * L);
    for (let b = 0; b < Bt; b++)
      for (let h = 0; h < H; h++) {
        const o = (b * H + h) * L;
        const c = convDirect(K.subarray(h * L, h * L + L), u.subarray(o, o + L), L);
        for (let l = 0; l < L; l++) y[o + l] = c[l] + u[o + l] * D[h];
      }
    out.push(
      mk(
        's4d_conv_layer',
        `s4d_conv_layer_B${Bt}_H${H}_L${L}`,
        seed,
        'fftconv(u,K) + u D',
        {},
        {
          u: real([Bt, H, L], u),
          K: real([H, L], K),
          D: real([H], D),
        },
        { y: real([Bt, H, L], y) },
      ),
    );
  }
  return out;
}
