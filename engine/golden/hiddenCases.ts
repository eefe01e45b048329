// Stress cases in the golden JSON format (odd sizes, long L, ragged chunks, softplus > 20, masked rows,
// complex A, groups, absent optional inputs), with expected outputs from plain float64 definitions written
// here from ../shared/golden/README.md (recurrences, matrix powers, Taylor expm): no engine code is used.

import { Rng } from '../util/rng';

export interface RawArray {
  shape: number[];
  dtype: 'float64' | 'complex128';
  data?: Array<number | string>;
  real?: Array<number | string>;
  imag?: Array<number | string>;
}

export interface HiddenCase {
  name: string;
  ref_function: string;
  semantics: string;
  seed: number;
  params: Record<string, unknown>;
  inputs: Record<string, RawArray>;
  outputs: Record<string, RawArray>;
}

type Arr = ArrayLike<number>;

const enc = (v: number): number | string =>
  Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;
const real = (shape: number[], d: Arr): RawArray => ({
  shape,
  dtype: 'float64',
  data: Array.from(d, enc),
});
const cplx = (shape: number[], re: Arr, im: Arr): RawArray => ({
  shape,
  dtype: 'complex128',
  real: Array.from(re, enc),
  imag: Array.from(im, enc),
});
const f = Math.fround;
const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
const silu = (x: number) => x / (1 + Math.exp(-x));

/** n float32 normals times `scale` plus `shift` (rounded to float32). */
function vals(r: Rng, n: number, scale = 1, shift = 0): Float64Array {
  return Float64Array.from(r.normals(n, scale), (v) => f(v + shift));
}
function unif(r: Rng, n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from(r.uniforms(n, lo, hi));
}
/** Sets about one value in `every` to just above `value` (e.g. past the softplus threshold of 20). */
function heat(r: Rng, a: Float64Array, every: number, value: number): Float64Array {
  for (let i = Math.floor(r.next() * every); i < a.length; i += every) a[i] = f(value + r.next());
  return a;
}

// ---------- small dense linear algebra (float64) ----------
function matmul(a: Arr, b: Arr, n: number): Float64Array {
  const o = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k];
      if (x !== 0) for (let j = 0; j < n; j++) o[i * n + j] += x * b[k * n + j];
    }
  return o;
}
/** expm by scaling and squaring with a 30-term Taylor series. */
function expmTaylor(m: Arr, n: number): Float64Array {
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
function solve(M: Arr, R: Arr, n: number, m: number): Float64Array {
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
function legs(N: number): { A: Float64Array; B: Float64Array } {
  const A = new Float64Array(N * N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1);
    for (let k = 0; k <= n; k++) A[n * N + k] = n > k ? -Math.sqrt((2 * n + 1) * (2 * k + 1)) : -(n + 1);
  }
  return { A, B };
}
function discDense(A: Arr, B: Arr, N: number, dt: number, disc: string) {
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
function kernelPowers(Abar: Arr, Bbar: Arr, C: Arr, N: number, L: number): Float64Array {
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
function convDirect(K: Arr, u: Arr, L: number): Float64Array {
  const y = new Float64Array(L);
  for (let k = 0; k < L; k++) for (let j = 0; j <= k; j++) y[k] += K[j] * u[k - j];
  return y;
}
/** A well-conditioned random stable dense A: -(I + small) (N, N), float32-exact. */
function stableDense(r: Rng, N: number): Float64Array {
  const A = vals(r, N * N, 0.3 / Math.sqrt(N));
  for (let i = 0; i < N; i++) A[i * N + i] = f(A[i * N + i] - 1);
  return A;
}

// complex helpers on [re, im]
type Cx = [number, number];
const cmul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: Cx, b: Cx): Cx => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const cexp = (a: Cx): Cx => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];
const cpow = (a: Cx, l: number): Cx => {
  const r = Math.hypot(a[0], a[1]) ** l;
  const t = Math.atan2(a[1], a[0]) * l;
  return [r * Math.cos(t), r * Math.sin(t)];
};

function mk(
  fn: string,
  name: string,
  seed: number,
  semantics: string,
  params: Record<string, unknown>,
  inputs: Record<string, RawArray>,
  outputs: Record<string, RawArray>,
): HiddenCase {
  return { name: `hidden_${name}`, ref_function: `ref.${fn}`, semantics, seed, params, inputs, outputs };
}

// ---------- HiPPO / S4 / S4D ----------
function hippoCases(): HiddenCase[] {
  return [13, 64, 128].map((N) => {
    const { A, B } = legs(N);
    return mk(
      'hippo_legs',
      `hippo_legs_N${N}`,
      0,
      'HiPPO-LegS by its closed form',
      { N },
      {},
      {
        A: real([N, N], A),
        B: real([N], B),
      },
    );
  });
}

function discretizeCases(disc: 'zoh' | 'bilinear'): HiddenCase[] {
  const out: HiddenCase[] = [];
  const fn = `discretize_${disc}`;
  {
    const N = 7;
    const { A, B } = legs(N);
    const dt = f(0.1);
    const { Abar, Bbar } = discDense(A, B, N, dt, disc);
    out.push(
      mk(
        fn,
        `${fn}_dense_hippo7`,
        1000,
        'dense',
        { dt },
        { A: real([N, N], A), B: real([N], B) },
        {
          Abar: real([N, N], Abar),
          Bbar: real([N], Bbar),
        },
      ),
    );
  }
  {
    const r = new Rng(1001);
    const N = 5;
    const dt = f(0.03);
    const Are = unif(r, N, -2, -0.1);
    const Aim = vals(r, N, 3);
    const Bre = vals(r, N);
    const Bim = vals(r, N);
    const ar = new Float64Array(N);
    const ai = new Float64Array(N);
    const br = new Float64Array(N);
    const bi = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      const a: Cx = [Are[n], Aim[n]];
      const b: Cx = [Bre[n], Bim[n]];
      const dA: Cx = [dt * a[0], dt * a[1]];
      let Ab: Cx;
      let Bb: Cx;
      if (disc === 'zoh') {
        Ab = cexp(dA);
        Bb = cmul(cdiv([Ab[0] - 1, Ab[1]], a), b);
      } else {
        const den: Cx = [1 - dA[0] / 2, -dA[1] / 2];
        Ab = cdiv([1 + dA[0] / 2, dA[1] / 2], den);
        Bb = cdiv([b[0] * dt, b[1] * dt], den);
      }
      [ar[n], ai[n], br[n], bi[n]] = [Ab[0], Ab[1], Bb[0], Bb[1]];
    }
    out.push(
      mk(
        fn,
        `${fn}_diag_complex_N5`,
        1001,
        'diagonal complex',
        { dt },
        {
          A: cplx([N], Are, Aim),
          B: cplx([N], Bre, Bim),
        },
        { Abar: cplx([N], ar, ai), Bbar: cplx([N], br, bi) },
      ),
    );
  }
  {
    const r = new Rng(1002);
    const N = 6;
    const dt = f(0.02);
    const A = unif(r, N, -5, -0.1);
    const B = vals(r, N);
    const Ab = Float64Array.from(A, (a) =>
      disc === 'zoh' ? Math.exp(dt * a) : (1 + (dt * a) / 2) / (1 - (dt * a) / 2),
    );
    const Bb = Float64Array.from(A, (a, n) =>
      disc === 'zoh' ? ((Math.exp(dt * a) - 1) / a) * B[n] : (B[n] * dt) / (1 - (dt * a) / 2),
    );
    out.push(
      mk(
        fn,
        `${fn}_diag_real_N6`,
        1002,
        'diagonal real',
        { dt },
        { A: real([N], A), B: real([N], B) },
        {
          Abar: real([N], Ab),
          Bbar: real([N], Bb),
        },
      ),
    );
  }
  return out;
}

function s4Cases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  const specs: Array<{ N: number; L: number; disc: 'zoh' | 'bilinear'; hippo: boolean; seed: number }> = [
    { N: 9, L: 257, disc: 'zoh', hippo: true, seed: 1100 },
    { N: 16, L: 1000, disc: 'bilinear', hippo: false, seed: 1101 },
    { N: 64, L: 1000, disc: 'zoh', hippo: true, seed: 1102 },
  ];
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { N, L, disc } = s;
    const A = s.hippo ? legs(N).A : stableDense(r, N);
    const B = s.hippo ? legs(N).B : vals(r, N);
    const C = vals(r, N);
    const u = vals(r, L);
    const dt = f(1 / L);
    const { Abar, Bbar } = discDense(A, B, N, dt, disc);
    const Af = Float64Array.from(Abar, f);
    const Bf = Float64Array.from(Bbar, f);
    const tag = `${disc}_N${N}_L${L}`;
    const K = kernelPowers(Af, Bf, C, N, L);
    out.push(
      mk(
        's4_kernel',
        `s4_kernel_${tag}`,
        s.seed,
        'K[l] = C Abar^l Bbar',
        { L },
        {
          Abar: real([N, N], Af),
          Bbar: real([N], Bf),
          C: real([N], C),
        },
        { K: real([L], K) },
      ),
    );
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
      const inputs: Record<string, RawArray> = {
        Abar: real([N, N], Af),
        Bbar: real([N], Bf),
        C: real([N], C),
        u: real([L], u),
      };
      if (withX0) inputs.x0 = real([N], x0);
      out.push(
        mk('ssm_scan', `ssm_scan${withX0 ? '_x0' : ''}_${tag}`, s.seed, 'x_k = Abar x + Bbar u', {}, inputs, {
          y: real([L], y),
          x_final: real([N], x),
        }),
      );
    }
    const Kf = Float64Array.from(K, f);
    out.push(
      mk(
        'ssm_conv',
        `ssm_conv_${tag}`,
        s.seed,
        'y_k = sum K_j u_{k-j}',
        {},
        { K: real([L], Kf), u: real([L], u) },
        {
          y: real([L], convDirect(Kf, u, L)),
        },
      ),
    );
    const Kp = kernelPowers(Abar, Bbar, C, N, L);
    out.push(
      mk(
        's4_pipeline',
        `s4_pipeline_${tag}`,
        s.seed,
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
      ),
    );
  }
  return out;
}

function s4dCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
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
  {
    const r = new Rng(1203);
    const [Bt, H, L] = [2, 3, 999];
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
        1203,
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

// ---------- Mamba-1 ----------
interface ScanSpec {
  name: string;
  seed: number;
  batch: number;
  D: number;
  N: number;
  L: number;
  complex: boolean;
  layout: 'fixed' | 'BNL' | 'BGNL';
  G?: number;
  softplus: boolean;
  hasD: boolean;
  hasZ: boolean;
  hasBias: boolean;
}
function selectiveScanCase(s: ScanSpec): HiddenCase {
  const r = new Rng(s.seed);
  const { batch, D, N, L, complex } = s;
  const G = s.layout === 'BGNL' ? (s.G ?? 1) : 1;
  const u = vals(r, batch * D * L);
  const delta = s.softplus
    ? heat(r, vals(r, batch * D * L, 1, -2), 7, 21)
    : unif(r, batch * D * L, 0.01, 0.3);
  const Are = unif(r, D * N, -2, -0.2);
  const Aim = vals(r, D * N, 2);
  const Lc = complex ? 2 * L : L;
  const bcLen = s.layout === 'fixed' ? D * N : batch * G * N * Lc;
  const [Bv, Cv] = [vals(r, bcLen, 0.7), vals(r, bcLen, 0.7)];
  const [Bi, Ci] = [vals(r, bcLen, 0.7), vals(r, bcLen, 0.7)];
  const Dv = vals(r, D);
  const z = vals(r, batch * D * L);
  const bias = vals(r, D, 0.5);
  const out = new Float64Array(batch * D * L);
  const lastRe = new Float64Array(batch * D * N);
  const lastIm = new Float64Array(batch * D * N);
  const per = D / G;
  const bc = (arr: Arr, arrIm: Arr, b: number, d: number, n: number, l: number): Cx => {
    if (s.layout === 'fixed') return [arr[d * N + n], complex ? arrIm[d * N + n] : 0];
    const g = Math.floor(d / per);
    const base = ((b * G + g) * N + n) * Lc;
    return complex ? [arr[base + 2 * l], arr[base + 2 * l + 1]] : [arr[base + l], 0];
  };
  for (let b = 0; b < batch; b++)
    for (let d = 0; d < D; d++) {
      const xr = new Float64Array(N);
      const xi = new Float64Array(N);
      for (let l = 0; l < L; l++) {
        const i = (b * D + d) * L + l;
        let dl = delta[i] + (s.hasBias ? bias[d] : 0);
        if (s.softplus) dl = softplus(dl);
        let y = 0;
        for (let n = 0; n < N; n++) {
          const a: Cx = [Are[d * N + n], complex ? Aim[d * N + n] : 0];
          const e = cexp([dl * a[0], dl * a[1]]);
          const Bt = bc(Bv, Bi, b, d, n, l);
          const x = cmul(e, [xr[n], xi[n]]);
          xr[n] = x[0] + dl * Bt[0] * u[i];
          xi[n] = x[1] + dl * Bt[1] * u[i];
          y += cmul([xr[n], xi[n]], bc(Cv, Ci, b, d, n, l))[0];
        }
        if (complex) y *= 2;
        if (s.hasD) y += u[i] * Dv[d];
        if (s.hasZ) y *= silu(z[i]);
        out[i] = y;
      }
      for (let n = 0; n < N; n++) {
        lastRe[(b * D + d) * N + n] = xr[n];
        lastIm[(b * D + d) * N + n] = xi[n];
      }
    }
  const bcShape = s.layout === 'fixed' ? [D, N] : s.layout === 'BNL' ? [batch, N, Lc] : [batch, G, N, Lc];
  const bcArr = (re: Arr, im: Arr) =>
    s.layout === 'fixed' && complex ? cplx(bcShape, re, im) : real(bcShape, re);
  const inputs: Record<string, RawArray> = {
    u: real([batch, D, L], u),
    delta: real([batch, D, L], delta),
    A: complex ? cplx([D, N], Are, Aim) : real([D, N], Are),
    B: bcArr(Bv, Bi),
    C: bcArr(Cv, Ci),
  };
  if (s.hasD) inputs.D = real([D], Dv);
  if (s.hasZ) inputs.z = real([batch, D, L], z);
  if (s.hasBias) inputs.delta_bias = real([D], bias);
  const layoutName = { fixed: '(D,N)', BNL: '(B,N,L)', BGNL: '(B,G,N,L)' }[s.layout];
  return mk(
    'selective_scan_ref',
    s.name,
    s.seed,
    'selective scan by the recurrence',
    {
      delta_softplus: s.softplus,
      has_D: s.hasD,
      has_z: s.hasZ,
      has_delta_bias: s.hasBias,
      B_layout: complex && s.layout !== 'fixed' ? `${layoutName} complex-interleaved 2L` : layoutName,
      A_from: 'given',
    },
    inputs,
    {
      out: real([batch, D, L], out),
      last_state: complex ? cplx([batch, D, N], lastRe, lastIm) : real([batch, D, N], lastRe),
    },
  );
}

function stateUpdateCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  const specs = [
    { name: 'mamba1_b3_d7_n5', seed: 1300, heads: 0, b: 3, H: 1, P: 7, N: 5, G: 1, full: true },
    { name: 'mamba2_b2_h6_p5_n4_g2', seed: 1301, heads: 6, b: 2, H: 6, P: 5, N: 4, G: 2, full: true },
    {
      name: 'mamba2_b2_h32_p64_n128_g8',
      seed: 1303,
      heads: 32,
      b: 2,
      H: 32,
      P: 64,
      N: 128,
      G: 8,
      full: true,
    },
    { name: 'mamba1_no_optional', seed: 1302, heads: 0, b: 2, H: 1, P: 9, N: 3, G: 1, full: false },
  ];
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { b, H, P, N, G } = s;
    const m2 = s.heads > 0;
    const nRow = m2 ? H : P; // dt, dt_bias, D are per head (Mamba-2) or per channel (Mamba-1)
    const state = vals(r, b * H * P * N);
    const x = vals(r, b * H * P);
    const dt = s.full ? heat(r, vals(r, b * nRow, 1, -2), 3, 21) : unif(r, b * nRow, 0.01, 0.2);
    const A = m2 ? unif(r, H, -8, -1) : unif(r, P * N, -3, -0.2);
    const Bm = vals(r, b * G * N);
    const Cm = vals(r, b * G * N);
    const Dv = vals(r, nRow);
    const z = vals(r, b * H * P);
    const bias = vals(r, nRow, 0.5);
    const ns = new Float64Array(b * H * P * N);
    const o = new Float64Array(b * H * P);
    for (let bb = 0; bb < b; bb++)
      for (let h = 0; h < H; h++) {
        const g = Math.floor(h / (H / G));
        for (let p = 0; p < P; p++) {
          const row = m2 ? h : p;
          let d = dt[bb * nRow + row] + (s.full ? bias[row] : 0);
          if (s.full) d = softplus(d);
          const xi = x[(bb * H + h) * P + p];
          let y = 0;
          for (let n = 0; n < N; n++) {
            const k = ((bb * H + h) * P + p) * N + n;
            const a = m2 ? A[h] : A[p * N + n];
            ns[k] = state[k] * Math.exp(d * a) + d * Bm[(bb * G + g) * N + n] * xi;
            y += ns[k] * Cm[(bb * G + g) * N + n];
          }
          if (s.full) y = (y + xi * Dv[row]) * silu(z[(bb * H + h) * P + p]);
          o[(bb * H + h) * P + p] = y;
        }
      }
    const stShape = m2 ? [b, H, P, N] : [b, P, N];
    const xShape = m2 ? [b, H, P] : [b, P];
    const bShape = m2 ? [b, G, N] : [b, N];
    const inputs: Record<string, RawArray> = {
      state: real(stShape, state),
      x: real(xShape, x),
      dt: real([b, nRow], dt),
      A: m2 ? real([H], A) : real([P, N], A),
      B: real(bShape, Bm),
      C: real(bShape, Cm),
    };
    if (s.full) {
      inputs.D = real([nRow], Dv);
      inputs.z = real(xShape, z);
      inputs.dt_bias = real([nRow], bias);
    }
    const params: Record<string, unknown> = { dt_softplus: s.full };
    if (m2) params.broadcast = 'dt,dt_bias,D over p; A over (p,n)';
    out.push(
      mk(
        'selective_state_update_ref',
        `selective_state_update_${s.name}`,
        s.seed,
        'one decode step',
        params,
        inputs,
        {
          out: real(xShape, o),
          new_state: real(stShape, ns),
        },
      ),
    );
  }
  return out;
}

function causalConvCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  for (const s of [
    {
      name: 'bias_silu_b2_d5_L1000_W4',
      seed: 1400,
      b: 2,
      d: 5,
      L: 1000,
      W: 4,
      bias: true,
      init: false,
      silu: true,
    },
    {
      name: 'initial_states_b1_d3_L37_W3',
      seed: 1401,
      b: 1,
      d: 3,
      L: 37,
      W: 3,
      bias: false,
      init: true,
      silu: false,
    },
    {
      name: 'initial_states_b2_d64_L2_W4',
      seed: 1404,
      b: 2,
      d: 64,
      L: 2,
      W: 4,
      bias: true,
      init: true,
      silu: true,
    },
    { name: 'W2_b1_d5_L1', seed: 1405, b: 1, d: 5, L: 1, W: 2, bias: false, init: false, silu: false },
    {
      name: 'final_states_no_init_b2_d3_L2_W4',
      seed: 1406,
      b: 2,
      d: 3,
      L: 2,
      W: 4,
      bias: true,
      init: false,
      silu: false,
      fin: true,
    },
  ] as Array<{
    name: string;
    seed: number;
    b: number;
    d: number;
    L: number;
    W: number;
    bias: boolean;
    init: boolean;
    silu: boolean;
    fin?: boolean;
  }>) {
    const r = new Rng(s.seed);
    const { b, d, L, W } = s;
    const x = vals(r, b * d * L);
    const w = vals(r, d * W, 0.5);
    const bias = vals(r, d);
    const init = vals(r, b * d * (W - 1));
    const y = new Float64Array(b * d * L);
    const fin = new Float64Array(b * d * (W - 1));
    for (let bb = 0; bb < b; bb++)
      for (let c = 0; c < d; c++) {
        const row = bb * d + c;
        const xs = (t: number) => (t >= 0 ? x[row * L + t] : s.init ? init[row * (W - 1) + (W - 1 + t)] : 0);
        for (let t = 0; t < L; t++) {
          let acc = s.bias ? bias[c] : 0;
          for (let k = 0; k < W; k++) acc += w[c * W + k] * xs(t - (W - 1) + k);
          y[row * L + t] = s.silu ? silu(acc) : acc;
        }
        for (let k = 0; k < W - 1; k++) fin[row * (W - 1) + k] = xs(L - (W - 1) + k);
      }
    const inputs: Record<string, RawArray> = { x: real([b, d, L], x), weight: real([d, W], w) };
    if (s.bias) inputs.bias = real([d], bias);
    if (s.init) inputs.initial_states = real([b, d, W - 1], init);
    const outputs: Record<string, RawArray> = { out: real([b, d, L], y) };
    if (s.init || s.fin) outputs.final_states = real([b, d, W - 1], fin);
    const params: Record<string, unknown> = s.silu ? { activation: 'silu' } : {};
    if (s.fin) params.return_final_states = true;
    out.push(
      mk(
        'causal_conv1d_ref',
        `causal_conv1d_${s.name}`,
        s.seed,
        'depthwise causal cross-correlation',
        params,
        inputs,
        outputs,
      ),
    );
  }
  for (const s of [
    { name: 'b3_d7_W4_S3_silu', seed: 1402, b: 3, d: 7, W: 4, S: 3, bias: true, silu: true },
    { name: 'b2_d5_W3_S5_plain', seed: 1403, b: 2, d: 5, W: 3, S: 5, bias: false, silu: false },
  ]) {
    const r = new Rng(s.seed);
    const { b, d, W, S } = s;
    const x = vals(r, b * d);
    const st = vals(r, b * d * S);
    const w = vals(r, d * W, 0.5);
    const bias = vals(r, d);
    const y = new Float64Array(b * d);
    const ns = new Float64Array(b * d * S);
    for (let row = 0; row < b * d; row++) {
      const c = row % d;
      const win = [...st.subarray(row * S, row * S + S), x[row]];
      let acc = s.bias ? bias[c] : 0;
      for (let k = 0; k < W; k++) acc += w[c * W + k] * win[S + 1 - W + k];
      y[row] = s.silu ? silu(acc) : acc;
      for (let k = 0; k < S; k++) ns[row * S + k] = win[k + 1];
    }
    const inputs: Record<string, RawArray> = {
      x: real([b, d], x),
      conv_state: real([b, d, S], st),
      weight: real([d, W], w),
    };
    if (s.bias) inputs.bias = real([d], bias);
    out.push(
      mk(
        'causal_conv1d_update_ref',
        `causal_conv1d_update_${s.name}`,
        s.seed,
        'decode step',
        s.silu ? { activation: 'silu' } : {},
        inputs,
        {
          out: real([b, d], y),
          new_conv_state: real([b, d, S], ns),
        },
      ),
    );
  }
  return out;
}

// ---------- Mamba-2 / SSD ----------
function segsumCases(): HiddenCase[] {
  return [
    [3, 13],
    [2, 1, 33],
    [1, 256],
  ].map((shape, k) => {
    const r = new Rng(1500 + k);
    const T = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const x = vals(r, rows * T);
    const o = new Float64Array(rows * T * T);
    for (let q = 0; q < rows; q++)
      for (let i = 0; i < T; i++)
        for (let j = 0; j < T; j++) {
          let s = j > i ? -Infinity : 0;
          for (let m = j + 1; m <= i; m++) s += x[q * T + m];
          o[(q * T + i) * T + j] = s;
        }
    return mk(
      'segsum',
      `segsum_${shape.join('x')}`,
      1500 + k,
      'segment sums',
      {},
      { x: real(shape, x) },
      {
        out: real([...shape, T], o),
      },
    );
  });
}

/** h_t = e^{A_t} h_{t-1} + X_t B_t^T, y_t = h_t C_t per (b, head); B/C head index hb(h). */
function ssdRecurrence(
  X: Arr,
  A: Arr,
  B: Arr,
  C: Arr,
  dims: { b: number; T: number; h: number; p: number; n: number; hB: number },
  h0?: Arr,
) {
  const { b, T, h, p, n, hB } = dims;
  const Y = new Float64Array(b * T * h * p);
  const fin = new Float64Array(b * h * p * n);
  for (let bb = 0; bb < b; bb++)
    for (let hh = 0; hh < h; hh++) {
      const hb = hB === 1 ? 0 : Math.floor(hh / (h / hB));
      const S = new Float64Array(p * n);
      if (h0) for (let i = 0; i < p * n; i++) S[i] = h0[(bb * h + hh) * p * n + i];
      for (let t = 0; t < T; t++) {
        const e = Math.exp(A[(bb * T + t) * h + hh]);
        const bo = ((bb * T + t) * hB + hb) * n;
        const xo = ((bb * T + t) * h + hh) * p;
        for (let i = 0; i < p; i++) {
          let y = 0;
          for (let j = 0; j < n; j++) {
            S[i * n + j] = e * S[i * n + j] + X[xo + i] * B[bo + j];
            y += S[i * n + j] * C[bo + j];
          }
          Y[xo + i] = y;
        }
      }
      fin.set(S, (bb * h + hh) * p * n);
    }
  return { Y, fin };
}

function ssdCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  for (const s of [
    { b: 1, T: 301, h: 3, p: 5, n: 7, hB: 3, bl: 64, init: true, seed: 1600 },
    { b: 2, T: 50, h: 2, p: 3, n: 4, hB: 1, bl: 16, init: false, seed: 1601 },
    { b: 1, T: 1000, h: 2, p: 4, n: 6, hB: 2, bl: 128, init: false, seed: 1602 },
    { b: 1, T: 999, h: 2, p: 64, n: 64, hB: 1, bl: 256, init: true, seed: 1603 },
    { b: 2, T: 37, h: 1, p: 3, n: 5, hB: 1, bl: 64, init: true, seed: 1604 },
    { b: 1, T: 300, h: 2, p: 4, n: 5, hB: 2, bl: 64, init: true, seed: 1605, strong: true },
  ] as Array<{
    b: number;
    T: number;
    h: number;
    p: number;
    n: number;
    hB: number;
    bl: number;
    init: boolean;
    seed: number;
    strong?: boolean;
  }>) {
    const r = new Rng(s.seed);
    const { b, T, h, p, n, hB } = s;
    const dt = unif(r, b * T * h, 0.001, 0.1);
    const X = Float64Array.from(vals(r, b * T * h * p), (v, i) => f(v * dt[Math.floor(i / p)]));
    // strong: log-decays of -1..-6 per step, so a 64-step chunk spans e^-200 (no exp(+cumsum) may survive).
    const A = Float64Array.from(dt, (d) => f(s.strong ? -1 - 5 * r.next() : -d * (1 + 7 * r.next())));
    const B = vals(r, b * T * hB * n);
    const C = vals(r, b * T * hB * n);
    const h0 = vals(r, b * h * p * n);
    const { Y, fin } = ssdRecurrence(X, A, B, C, s, s.init ? h0 : undefined);
    const inputs: Record<string, RawArray> = {
      X: real([b, T, h, p], X),
      A: real([b, T, h], A),
      B: real([b, T, hB, n], B),
      C: real([b, T, hB, n], C),
    };
    if (s.init) inputs.initial_states = real([b, 1, h, p, n], h0);
    const tag = `b${b}_T${T}_h${h}_bl${s.bl}${hB === 1 ? '_Bhead1' : ''}${s.strong ? '_strong_decay' : ''}`;
    out.push(
      mk(
        'ssd_minimal_discrete',
        `ssd_minimal${s.init ? '_init' : ''}_${tag}`,
        s.seed,
        'SSD by the recurrence',
        { block_len: s.bl },
        inputs,
        {
          Y: real([b, T, h, p], Y),
          final_state: real([b, h, p, n], fin),
        },
      ),
    );
    if (!s.init) {
      const q = { ...inputs };
      out.push(
        mk('ssd_naive_quadratic', `ssd_naive_quadratic_${tag}`, s.seed, 'SSD by the recurrence', {}, q, {
          Y: real([b, T, h, p], Y),
        }),
      );
    }
  }
  for (const s of [
    { b: 1, T: 300, h: 6, g: 3, p: 5, n: 7, Q: 64, full: true, seed: 1610 },
    { b: 2, T: 37, h: 4, g: 1, p: 3, n: 4, Q: 16, full: false, seed: 1611 },
    { b: 1, T: 1000, h: 4, g: 2, p: 64, n: 128, Q: 256, full: true, seed: 1612 },
    { b: 1, T: 70, h: 2, g: 2, p: 3, n: 4, Q: 32, full: false, seed: 1613, Dhp: true },
  ] as Array<{
    b: number;
    T: number;
    h: number;
    g: number;
    p: number;
    n: number;
    Q: number;
    full: boolean;
    seed: number;
    Dhp?: boolean;
  }>) {
    const r = new Rng(s.seed);
    const { b, T, h, g, p, n } = s;
    const x = vals(r, b * T * h * p);
    const dtRaw = heat(r, vals(r, b * T * h, 1, -3), 11, 21);
    const A = Float64Array.from(unif(r, h, 1, 16), (v) => -v);
    const B = vals(r, b * T * g * n);
    const C = vals(r, b * T * g * n);
    const D = vals(r, s.Dhp ? h * p : h);
    const z = vals(r, b * T * h * p);
    const bias = vals(r, h, 0.5);
    // Dhp: D of shape (h, p), no z, dt_softplus=False (dt used raw, so it must be positive).
    if (s.Dhp) for (let i = 0; i < dtRaw.length; i++) dtRaw[i] = f(0.01 + 0.1 * r.next());
    const dtp = Float64Array.from(dtRaw, (v, i) => (s.Dhp ? v : softplus(v + (s.full ? bias[i % h] : 0))));
    const X = Float64Array.from(x, (v, i) => v * dtp[Math.floor(i / p)]);
    const Al = Float64Array.from(dtp, (v, i) => v * A[i % h]);
    const { Y } = ssdRecurrence(X, Al, B, C, { b, T, h, p, n, hB: g });
    if (s.full)
      for (let i = 0; i < Y.length; i++) Y[i] = (Y[i] + x[i] * D[Math.floor(i / p) % h]) * silu(z[i]);
    if (s.Dhp) for (let i = 0; i < Y.length; i++) Y[i] += x[i] * D[i % (h * p)];
    const inputs: Record<string, RawArray> = {
      x: real([b, T, h, p], x),
      dt: real([b, T, h], dtRaw),
      A: real([h], A),
      B: real([b, T, g, n], B),
      C: real([b, T, g, n], C),
    };
    if (s.Dhp) inputs.D = real([h, p], D);
    if (s.full) {
      inputs.D = real([h], D);
      inputs.z = real([b, T, h, p], z);
      inputs.dt_bias = real([h], bias);
    }
    out.push(
      mk(
        'ssd_chunk_scan_combined_ref',
        `mamba2_ssd_combined_b${b}_T${T}_h${h}_g${g}_Q${s.Q}${s.Dhp ? '_Dhp_nosoftplus' : s.full ? '' : '_noDzbias'}`,
        s.seed,
        'Mamba-2 by the recurrence',
        { chunk_size: s.Q, dt_softplus: !s.Dhp },
        inputs,
        {
          out: real([b, T, h, p], Y),
        },
      ),
    );
  }
  return out;
}

// ---------- attention ----------
function attentionCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  const specs = [
    { b: 1, sq: 130, sk: 130, h: 4, hk: 1, d: 16, causal: true, Br: 16, Bc: 32, seed: 1700 },
    { b: 1, sq: 130, sk: 57, h: 2, hk: 2, d: 8, causal: true, Br: 8, Bc: 8, seed: 1701 },
    { b: 2, sq: 33, sk: 129, h: 3, hk: 3, d: 12, causal: false, Br: 5, Bc: 7, seed: 1702 },
    { b: 1, sq: 130, sk: 130, h: 4, hk: 2, d: 64, causal: true, Br: 64, Bc: 64, seed: 1703 },
    { b: 1, sq: 1, sk: 1000, h: 2, hk: 1, d: 128, causal: true, Br: 64, Bc: 64, seed: 1704 },
    { b: 1, sq: 130, sk: 3, h: 1, hk: 1, d: 33, causal: true, Br: 128, Bc: 16, seed: 1705 },
    { b: 1, sq: 1000, sk: 1000, h: 1, hk: 1, d: 32, causal: true, Br: 128, Bc: 128, seed: 1706 },
    { b: 1, sq: 67, sk: 67, h: 2, hk: 1, d: 16, causal: false, Br: 16, Bc: 16, seed: 1707, qScale: 12 },
  ] as Array<{
    b: number;
    sq: number;
    sk: number;
    h: number;
    hk: number;
    d: number;
    causal: boolean;
    Br: number;
    Bc: number;
    seed: number;
    qScale?: number;
  }>;
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { b, sq, sk, h, hk, d } = s;
    const q = vals(r, b * sq * h * d, s.qScale ?? 1); // qScale 12: logits of a few hundred (exp overflows f32 unless shifted)
    const k = vals(r, b * sk * hk * d);
    const v = vals(r, b * sk * hk * d);
    const scale = 1 / Math.sqrt(d);
    const o = new Float64Array(b * sq * h * d);
    const lse = new Float64Array(b * h * sq);
    for (let bb = 0; bb < b; bb++)
      for (let hh = 0; hh < h; hh++) {
        const kh = Math.floor(hh / (h / hk));
        for (let i = 0; i < sq; i++) {
          const sc: number[] = [];
          for (let j = 0; j < sk; j++) {
            if (s.causal && j > i + sk - sq) continue;
            let dot = 0;
            for (let e = 0; e < d; e++)
              dot += q[((bb * sq + i) * h + hh) * d + e] * k[((bb * sk + j) * hk + kh) * d + e];
            sc.push(dot * scale, j);
          }
          if (sc.length === 0) {
            lse[(bb * h + hh) * sq + i] = Infinity;
            continue;
          }
          let m = -Infinity;
          for (let t = 0; t < sc.length; t += 2) m = Math.max(m, sc[t]);
          let sum = 0;
          for (let t = 0; t < sc.length; t += 2) sum += Math.exp(sc[t] - m);
          lse[(bb * h + hh) * sq + i] = m + Math.log(sum);
          for (let t = 0; t < sc.length; t += 2) {
            const w = Math.exp(sc[t] - m) / sum;
            const j = sc[t + 1];
            for (let e = 0; e < d; e++)
              o[((bb * sq + i) * h + hh) * d + e] += w * v[((bb * sk + j) * hk + kh) * d + e];
          }
        }
      }
    const tag = `b${b}_sq${sq}_sk${sk}_h${h}_${hk}_d${d}_${s.causal ? 'causal' : 'full'}${s.qScale ? '_big_logits' : ''}`;
    const inputs = { q: real([b, sq, h, d], q), k: real([b, sk, hk, d], k), v: real([b, sk, hk, d], v) };
    const outputs = { out: real([b, sq, h, d], o), lse: real([b, h, sq], lse) };
    out.push(
      mk(
        'softmax_attention',
        `softmax_attention_${tag}`,
        s.seed,
        'plain softmax attention',
        { causal: s.causal, softmax_scale: scale },
        inputs,
        outputs,
      ),
    );
    out.push(
      mk(
        'flash_attention_tiled',
        `flash_attention_tiled_${tag}_Br${s.Br}_Bc${s.Bc}`,
        s.seed,
        'plain softmax attention',
        { causal: s.causal, Br: s.Br, Bc: s.Bc, softmax_scale: scale },
        inputs,
        outputs,
      ),
    );
  }
  return out;
}

// ---------- linear attention family ----------
interface LaDims {
  B: number;
  T: number;
  H: number;
  K: number;
  V: number;
}
/** S_t = decay_t ⊙ S_{t-1} + k_t v_tᵀ, o_t = (s q_t)ᵀ S_t; decay(b,t,h,i) multiplies row i of S. */
function laRecurrence(
  q: Arr,
  k: Arr,
  v: Arr,
  dims: LaDims,
  scale: number,
  decay: (b: number, t: number, h: number, i: number) => number,
  s0?: Arr,
) {
  const { B, T, H, K, V } = dims;
  const o = new Float64Array(B * T * H * V);
  const fin = new Float64Array(B * H * K * V);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const S = new Float64Array(K * V);
      if (s0) for (let i = 0; i < K * V; i++) S[i] = s0[(b * H + h) * K * V + i];
      for (let t = 0; t < T; t++) {
        const ko = ((b * T + t) * H + h) * K;
        const vo = ((b * T + t) * H + h) * V;
        for (let i = 0; i < K; i++) {
          const dcy = decay(b, t, h, i);
          for (let j = 0; j < V; j++) S[i * V + j] = dcy * S[i * V + j] + k[ko + i] * v[vo + j];
        }
        for (let j = 0; j < V; j++) {
          let acc = 0;
          for (let i = 0; i < K; i++) acc += scale * q[ko + i] * S[i * V + j];
          o[vo + j] = acc;
        }
      }
      fin.set(S, (b * H + h) * K * V);
    }
  return { o, fin };
}

function linearAttentionCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  const specs = [
    { d: { B: 1, T: 1000, H: 2, K: 8, V: 5 }, C: 64, scale: 1 / Math.sqrt(8), init: false, seed: 1800 },
    { d: { B: 2, T: 77, H: 3, K: 4, V: 3 }, C: 16, scale: 1, init: true, seed: 1801 },
    { d: { B: 1, T: 1000, H: 2, K: 64, V: 64 }, C: 64, scale: 1 / 8, init: true, seed: 1802 },
    { d: { B: 1, T: 300, H: 2, K: 5, V: 4 }, C: 64, scale: 1, init: true, seed: 1803, strong: true },
  ] as Array<{ d: LaDims; C: number; scale: number; init: boolean; seed: number; strong?: boolean }>;
  for (const s of specs) {
    const r = new Rng(s.seed);
    const { B, T, H, K, V } = s.d;
    const q = vals(r, B * T * H * K, 0.5);
    const k = vals(r, B * T * H * K, 0.5);
    const v = vals(r, B * T * H * V);
    // strong: per-step decays of e^-1.6 .. e^-4.6, so one 64-step chunk spans e^-200.
    const [lo, lo2] = s.strong ? [0.01, 0.01] : [0.5, 0.6];
    const hi = s.strong ? 0.2 : 1;
    const g = Float64Array.from(unif(r, B * T * H, lo, hi), (x) => f(Math.log(x)));
    const gk = Float64Array.from(unif(r, B * T * H * K, lo2, hi), (x) => f(Math.log(x)));
    const s0 = vals(r, B * H * K * V);
    const init = s.init ? s0 : undefined;
    const base: Record<string, RawArray> = {
      q: real([B, T, H, K], q),
      k: real([B, T, H, K], k),
      v: real([B, T, H, V], v),
    };
    const withInit = (extra: Record<string, RawArray>) =>
      s.init ? { ...base, ...extra, initial_state: real([B, H, K, V], s0) } : { ...base, ...extra };
    const tag = `B${B}_T${T}_H${H}_K${K}_V${V}${s.strong ? '_strong_decay' : ''}`;
    const la = laRecurrence(q, k, v, s.d, s.scale, () => 1, init);
    const laOut = { o: real([B, T, H, V], la.o), final_state: real([B, H, K, V], la.fin) };
    out.push(
      mk(
        'linear_attention_recurrent',
        `linear_attention_recurrent_${tag}`,
        s.seed,
        'recurrence',
        { scale: s.scale },
        withInit({}),
        laOut,
      ),
    );
    out.push(
      mk(
        'linear_attention_chunked',
        `linear_attention_chunked_${tag}_C${s.C}`,
        s.seed,
        'recurrence',
        { scale: s.scale, chunk_size: s.C },
        withInit({}),
        laOut,
      ),
    );
    const gd = (b: number, t: number, h: number) => Math.exp(g[(b * T + t) * H + h]);
    const sg = laRecurrence(q, k, v, s.d, s.scale, gd, init);
    const sgOut = { o: real([B, T, H, V], sg.o), final_state: real([B, H, K, V], sg.fin) };
    const gIn = { g: real([B, T, H], g) };
    out.push(
      mk(
        'simple_gla_recurrent',
        `simple_gla_recurrent_${tag}`,
        s.seed,
        'recurrence',
        { scale: s.scale },
        withInit(gIn),
        sgOut,
      ),
    );
    out.push(
      mk(
        'simple_gla_chunked',
        `simple_gla_chunked_${tag}_C${s.C}`,
        s.seed,
        'recurrence',
        { scale: s.scale, chunk_size: s.C },
        withInit(gIn),
        sgOut,
      ),
    );
    const gl = laRecurrence(
      q,
      k,
      v,
      s.d,
      1 / Math.sqrt(K),
      (b, t, h, i) => Math.exp(gk[((b * T + t) * H + h) * K + i]),
      init,
    );
    out.push(
      mk(
        'gla_recurrent',
        `gla_recurrent_${tag}`,
        s.seed,
        'recurrence',
        {},
        withInit({ gk: real([B, T, H, K], gk) }),
        {
          o: real([B, T, H, V], gl.o),
          final_state: real([B, H, K, V], gl.fin),
        },
      ),
    );
  }
  {
    // normalize=True (positive q, k as after a feature map) and a chunked form with the default chunk.
    const r = new Rng(1805);
    const d = { B: 1, T: 200, H: 2, K: 6, V: 5 };
    const { B, T, H, K, V } = d;
    const q = unif(r, B * T * H * K, 0.1, 1);
    const k = unif(r, B * T * H * K, 0.1, 1);
    const v = vals(r, B * T * H * V);
    const g = Float64Array.from(unif(r, B * T * H, 0.9, 1), (x) => f(Math.log(x)));
    const scale = 1 / Math.sqrt(K);
    const la = laRecurrence(q, k, v, d, scale, () => 1);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const ks = new Float64Array(K);
        for (let t = 0; t < T; t++) {
          const ko = ((b * T + t) * H + h) * K;
          let den = 0;
          for (let i = 0; i < K; i++) {
            ks[i] += k[ko + i];
            den += scale * q[ko + i] * ks[i];
          }
          for (let j = 0; j < V; j++) la.o[((b * T + t) * H + h) * V + j] /= den + 1e-10;
        }
      }
    const inputs = { q: real([B, T, H, K], q), k: real([B, T, H, K], k), v: real([B, T, H, V], v) };
    const outputs = { o: real([B, T, H, V], la.o), final_state: real([B, H, K, V], la.fin) };
    out.push(
      mk(
        'linear_attention_recurrent',
        'linear_attention_recurrent_normalize_T200',
        1805,
        'normalized',
        { scale, normalize: true },
        inputs,
        outputs,
      ),
    );
    out.push(
      mk(
        'linear_attention_chunked',
        'linear_attention_chunked_normalize_T200_C48',
        1805,
        'normalized',
        { scale, chunk_size: 48, normalize: true },
        inputs,
        outputs,
      ),
    );
    const sg = laRecurrence(q, k, v, d, scale, (b, t, h) => Math.exp(g[(b * T + t) * H + h]));
    out.push(
      mk(
        'simple_gla_chunked',
        'simple_gla_chunked_default_chunk_T200',
        1805,
        'recurrence',
        { scale },
        { ...inputs, g: real([B, T, H], g) },
        {
          o: real([B, T, H, V], sg.o),
          final_state: real([B, H, K, V], sg.fin),
        },
      ),
    );
  }
  for (const [seed, T0, gLo, gHi] of [
    [1810, 130, 0.7, 1],
    [1811, 100, 0.01, 0.2],
  ]) {
    // simple_gla_parallel: o from the recurrence (no initial state), attn from its definition.
    const r = new Rng(seed);
    const d = { B: 1, T: T0, H: 3, K: 5, V: 4 };
    const { B, T, H, K, V } = d;
    const q = vals(r, B * T * H * K, 0.5);
    const k = vals(r, B * T * H * K, 0.5);
    const v = vals(r, B * T * H * V);
    const g = Float64Array.from(unif(r, B * T * H, gLo, gHi), (x) => f(Math.log(x)));
    const scale = 1 / Math.sqrt(K);
    const { o } = laRecurrence(q, k, v, d, scale, (b, t, h) => Math.exp(g[(b * T + t) * H + h]));
    const attn = new Float64Array(B * H * T * T);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < T; t++)
          for (let s2 = 0; s2 <= t; s2++) {
            let dot = 0;
            for (let i = 0; i < K; i++)
              dot += q[((b * T + t) * H + h) * K + i] * k[((b * T + s2) * H + h) * K + i];
            let gs = 0;
            for (let m = s2 + 1; m <= t; m++) gs += g[(b * T + m) * H + h];
            attn[((b * H + h) * T + t) * T + s2] = scale * dot * Math.exp(gs);
          }
    out.push(
      mk(
        'simple_gla_parallel',
        `simple_gla_parallel_B1_T${T}_H3_K5_V4${gHi < 1 ? '_strong_decay' : ''}`,
        seed,
        'parallel form',
        { scale },
        {
          q: real([B, T, H, K], q),
          k: real([B, T, H, K], k),
          v: real([B, T, H, V], v),
          g: real([B, T, H], g),
        },
        { o: real([B, T, H, V], o), attn: real([B, H, T, T], attn) },
      ),
    );
  }
  {
    // retention_parallel, layout (b, h, t, d): the recurrence with decay γ_h, scale d^-1/2.
    const r = new Rng(1820);
    const [b, H, T, K, V] = [1, 5, 300, 6, 3];
    const q = vals(r, b * H * T * K, 0.5);
    const k = vals(r, b * H * T * K, 0.5);
    const v = vals(r, b * H * T * V);
    const o = new Float64Array(b * H * T * V);
    for (let bb = 0; bb < b; bb++)
      for (let h = 0; h < H; h++) {
        const gamma = 1 - 2 ** (-5 - h);
        const S = new Float64Array(K * V);
        for (let t = 0; t < T; t++) {
          const ko = ((bb * H + h) * T + t) * K;
          const vo = ((bb * H + h) * T + t) * V;
          for (let i = 0; i < K; i++)
            for (let j = 0; j < V; j++) S[i * V + j] = gamma * S[i * V + j] + k[ko + i] * v[vo + j];
          for (let j = 0; j < V; j++) {
            let acc = 0;
            for (let i = 0; i < K; i++) acc += (q[ko + i] / Math.sqrt(K)) * S[i * V + j];
            o[vo + j] = acc;
          }
        }
      }
    out.push(
      mk(
        'retention_parallel',
        'retention_parallel_b1_h5_t300_d6',
        1820,
        'RetNet',
        {},
        {
          q: real([b, H, T, K], q),
          k: real([b, H, T, K], k),
          v: real([b, H, T, V], v),
        },
        { o: real([b, H, T, V], o) },
      ),
    );
  }
  return out;
}

// ---------- RNN ----------
function rnnCell(
  x: Arr,
  h: Arr,
  Wih: Arr,
  Whh: Arr,
  bih: Arr | null,
  bhh: Arr | null,
  batch: number,
  I: number,
  Hd: number,
  relu: boolean,
) {
  const o = new Float64Array(batch * Hd);
  for (let b = 0; b < batch; b++)
    for (let j = 0; j < Hd; j++) {
      let a = (bih ? bih[j] : 0) + (bhh ? bhh[j] : 0);
      for (let i = 0; i < I; i++) a += x[b * I + i] * Wih[j * I + i];
      for (let i = 0; i < Hd; i++) a += h[b * Hd + i] * Whh[j * Hd + i];
      o[b * Hd + j] = relu ? Math.max(0, a) : Math.tanh(a);
    }
  return o;
}

function rnnCases(): HiddenCase[] {
  const out: HiddenCase[] = [];
  for (const s of [
    { name: 'b3_in7_h13_tanh', seed: 1900, b: 3, I: 7, Hd: 13, relu: false, bias: true },
    { name: 'b2_in5_h6_relu_nobias', seed: 1901, b: 2, I: 5, Hd: 6, relu: true, bias: false },
    { name: 'b1_in300_h257_no_h', seed: 1902, b: 1, I: 300, Hd: 257, relu: false, bias: true, noH: true },
  ] as Array<{
    name: string;
    seed: number;
    b: number;
    I: number;
    Hd: number;
    relu: boolean;
    bias: boolean;
    noH?: boolean;
  }>) {
    const r = new Rng(s.seed);
    const { b, I, Hd } = s;
    const x = vals(r, b * I);
    const h = vals(r, b * Hd);
    const Wih = vals(r, Hd * I, 0.4);
    const Whh = vals(r, Hd * Hd, 0.4);
    const bih = vals(r, Hd, 0.3);
    const bhh = vals(r, Hd, 0.3);
    const inputs: Record<string, RawArray> = {
      x: real([b, I], x),
      ...(s.noH ? {} : { h: real([b, Hd], h) }),
      W_ih: real([Hd, I], Wih),
      W_hh: real([Hd, Hd], Whh),
    };
    if (s.bias) {
      inputs.b_ih = real([Hd], bih);
      inputs.b_hh = real([Hd], bhh);
    }
    out.push(
      mk(
        'rnn_tanh_step',
        `rnn_tanh_step_${s.name}`,
        s.seed,
        'RNNCell',
        s.relu ? { nonlinearity: 'relu' } : {},
        inputs,
        {
          h_new: real(
            [b, Hd],
            rnnCell(
              x,
              s.noH ? new Float64Array(b * Hd) : h,
              Wih,
              Whh,
              s.bias ? bih : null,
              s.bias ? bhh : null,
              b,
              I,
              Hd,
              s.relu,
            ),
          ),
        },
      ),
    );
  }
  for (const s of [
    {
      name: '3layer_T100_tanh_noh0',
      seed: 1910,
      T: 100,
      b: 2,
      I: 5,
      Hd: 7,
      layers: 3,
      relu: false,
      bf: false,
      h0: false,
    },
    {
      name: '2layer_T33_relu_batch_first',
      seed: 1911,
      T: 33,
      b: 3,
      I: 4,
      Hd: 6,
      layers: 2,
      relu: true,
      bf: true,
      h0: true,
    },
    {
      name: '1layer_T1000_tanh_h300',
      seed: 1912,
      T: 1000,
      b: 1,
      I: 3,
      Hd: 300,
      layers: 1,
      relu: false,
      bf: true,
      h0: false,
    },
  ]) {
    const r = new Rng(s.seed);
    const { T, b, I, Hd, layers } = s;
    const x = vals(r, T * b * I);
    const h0 = vals(r, layers * b * Hd);
    const inputs: Record<string, RawArray> = { x: real(s.bf ? [b, T, I] : [T, b, I], x) };
    if (s.h0) inputs.h0 = real([layers, b, Hd], h0);
    const W: Array<[Float64Array, Float64Array, Float64Array, Float64Array]> = [];
    for (let l = 0; l < layers; l++) {
      const In = l === 0 ? I : Hd;
      // torch's init scale 1/sqrt(hidden): larger weights make a long sequence chaotic (f32 noise grows).
      const sc = 1 / Math.sqrt(Hd);
      const w: [Float64Array, Float64Array, Float64Array, Float64Array] = [
        vals(r, Hd * In, sc),
        vals(r, Hd * Hd, sc),
        vals(r, Hd, sc),
        vals(r, Hd, sc),
      ];
      W.push(w);
      inputs[`W_ih_l${l}`] = real([Hd, In], w[0]);
      inputs[`W_hh_l${l}`] = real([Hd, Hd], w[1]);
      inputs[`b_ih_l${l}`] = real([Hd], w[2]);
      inputs[`b_hh_l${l}`] = real([Hd], w[3]);
    }
    const hn = new Float64Array(layers * b * Hd);
    const outp = new Float64Array(T * b * Hd);
    const hs = Array.from({ length: layers }, (_, l) =>
      s.h0 ? h0.slice(l * b * Hd, (l + 1) * b * Hd) : new Float64Array(b * Hd),
    );
    for (let t = 0; t < T; t++) {
      let inp = new Float64Array(b * I);
      for (let bb = 0; bb < b; bb++)
        for (let i = 0; i < I; i++) inp[bb * I + i] = x[s.bf ? (bb * T + t) * I + i : (t * b + bb) * I + i];
      for (let l = 0; l < layers; l++) {
        hs[l] = rnnCell(inp, hs[l], W[l][0], W[l][1], W[l][2], W[l][3], b, l === 0 ? I : Hd, Hd, s.relu);
        inp = hs[l];
      }
      for (let bb = 0; bb < b; bb++)
        for (let j = 0; j < Hd; j++)
          outp[s.bf ? (bb * T + t) * Hd + j : (t * b + bb) * Hd + j] = inp[bb * Hd + j];
    }
    for (let l = 0; l < layers; l++) hn.set(hs[l], l * b * Hd);
    out.push(
      mk(
        'elman_rnn',
        `elman_rnn_${s.name}`,
        s.seed,
        'torch.nn.RNN',
        { num_layers: layers, nonlinearity: s.relu ? 'relu' : 'tanh', batch_first: s.bf },
        inputs,
        {
          output: real(s.bf ? [b, T, Hd] : [T, b, Hd], outp),
          h_n: real([layers, b, Hd], hn),
        },
      ),
    );
  }
  return out;
}

const scanSpecs: ScanSpec[] = [
  {
    name: 'selective_scan_groups3_softplus_L1000',
    seed: 1310,
    batch: 1,
    D: 6,
    N: 5,
    L: 1000,
    complex: false,
    layout: 'BGNL',
    G: 3,
    softplus: true,
    hasD: true,
    hasZ: true,
    hasBias: true,
  },
  {
    name: 'selective_scan_complexA_groups2_L301',
    seed: 1311,
    batch: 2,
    D: 4,
    N: 3,
    L: 301,
    complex: true,
    layout: 'BGNL',
    G: 2,
    softplus: true,
    hasD: true,
    hasZ: false,
    hasBias: true,
  },
  {
    name: 'selective_scan_complexA_fixedBC_z',
    seed: 1312,
    batch: 2,
    D: 3,
    N: 4,
    L: 17,
    complex: true,
    layout: 'fixed',
    softplus: false,
    hasD: false,
    hasZ: true,
    hasBias: false,
  },
  {
    name: 'selective_scan_D64_N16_G4_L1000',
    seed: 1314,
    batch: 2,
    D: 64,
    N: 16,
    L: 1000,
    complex: false,
    layout: 'BGNL',
    G: 4,
    softplus: true,
    hasD: true,
    hasZ: true,
    hasBias: true,
  },
  {
    name: 'selective_scan_complexA_BNL_D8_N16_L1000',
    seed: 1315,
    batch: 1,
    D: 8,
    N: 16,
    L: 1000,
    complex: true,
    layout: 'BNL',
    softplus: true,
    hasD: true,
    hasZ: true,
    hasBias: true,
  },
  {
    name: 'selective_scan_BNL_no_optional',
    seed: 1313,
    batch: 3,
    D: 5,
    N: 7,
    L: 129,
    complex: false,
    layout: 'BNL',
    softplus: false,
    hasD: false,
    hasZ: false,
    hasBias: false,
  },
];

/** Every hidden case, grouped by generator; `only` (a function-name regex) limits what is built. */
export function hiddenCases(only?: RegExp): HiddenCase[] {
  const groups: Array<() => HiddenCase[]> = [
    hippoCases,
    () => discretizeCases('zoh'),
    () => discretizeCases('bilinear'),
    s4Cases,
    s4dCases,
    () => scanSpecs.map(selectiveScanCase),
    stateUpdateCases,
    causalConvCases,
    segsumCases,
    ssdCases,
    attentionCases,
    linearAttentionCases,
    rnnCases,
  ];
  const all: HiddenCase[] = [];
  for (const make of groups) {
    for (const c of make()) if (!only || only.test(c.ref_function.slice(4)) || only.test(c.name)) all.push(c);
  }
  return all;
}
