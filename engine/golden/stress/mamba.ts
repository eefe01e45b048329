// Stress cases for the Mamba-1 ops: selective scan (groups, complex A, fixed B/C, softplus > 20, absent
// optionals), state update (Mamba-1 and per-head Mamba-2), causal conv1d and its decode step.

import {
  Rng,
  type Arr,
  type RawArray,
  type StressCase,
  real,
  cplx,
  softplus,
  silu,
  vals,
  unif,
  heat,
  type Cx,
  cmul,
  cexp,
  mk,
} from './common';

export interface ScanSpec {
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
export function selectiveScanCase(s: ScanSpec): StressCase {
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

export function stateUpdateCases(): StressCase[] {
  const out: StressCase[] = [];
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

export function causalConvCases(): StressCase[] {
  const out: StressCase[] = [];
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
    { name: 'd4096_L3_W4_init', seed: 1407, b: 1, d: 4096, L: 3, W: 4, bias: true, init: true, silu: true },
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

export const scanSpecs: ScanSpec[] = [
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
    name: 'selective_scan_N128_D4_L300',
    seed: 1316,
    batch: 1,
    D: 4,
    N: 128,
    L: 300,
    complex: false,
    layout: 'BGNL',
    G: 2,
    softplus: true,
    hasD: true,
    hasZ: true,
    hasBias: true,
  },
  {
    name: 'selective_scan_complexA_fixedBC_N64_L200',
    seed: 1317,
    batch: 1,
    D: 3,
    N: 64,
    L: 200,
    complex: true,
    layout: 'fixed',
    softplus: true,
    hasD: true,
    hasZ: false,
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

/** Every stress case, grouped by generator; `only` (a function-name regex) limits what is built. */

/** Upstream's full Mamba-2 step shapes: A (h,p,n), dt (b,h,p), dt_bias and D (h,p), z (b,h,p), B/C (b,g,n). */
export function stateUpdateFullShapes(): StressCase {
  const r = new Rng(1304);
  const [b, H, P, N, G] = [2, 4, 3, 5, 2];
  const state = vals(r, b * H * P * N);
  const x = vals(r, b * H * P);
  const dt = heat(r, vals(r, b * H * P, 1, -2), 4, 21);
  const A = unif(r, H * P * N, -4, -0.5);
  const [B, C] = [vals(r, b * G * N), vals(r, b * G * N)];
  const [D, bias, z] = [vals(r, H * P), vals(r, H * P, 0.5), vals(r, b * H * P)];
  const ns = new Float64Array(state.length);
  const out = new Float64Array(b * H * P);
  for (let bb = 0; bb < b; bb++)
    for (let h = 0; h < H; h++)
      for (let p = 0; p < P; p++) {
        const row = (bb * H + h) * P + p;
        const d = softplus(dt[row] + bias[h * P + p]);
        const g = Math.floor(h / (H / G));
        let y = 0;
        for (let n = 0; n < N; n++) {
          const k = row * N + n;
          ns[k] = state[k] * Math.exp(d * A[(h * P + p) * N + n]) + d * B[(bb * G + g) * N + n] * x[row];
          y += ns[k] * C[(bb * G + g) * N + n];
        }
        out[row] = (y + x[row] * D[h * P + p]) * silu(z[row]);
      }
  return mk(
    'selective_state_update_ref',
    'selective_state_update_mamba2_full_shapes',
    1304,
    'one decode step',
    { dt_softplus: true },
    {
      state: real([b, H, P, N], state),
      x: real([b, H, P], x),
      dt: real([b, H, P], dt),
      A: real([H, P, N], A),
      B: real([b, G, N], B),
      C: real([b, G, N], C),
      D: real([H, P], D),
      z: real([b, H, P], z),
      dt_bias: real([H, P], bias),
    },
    { out: real([b, H, P], out), new_state: real([b, H, P, N], ns) },
  );
}

/** causal_conv1d_update with x (b, d, seqlen=3): out = the last 3 outputs of the conv over [state, x]. */
export function convUpdateMultiToken(): StressCase {
  const r = new Rng(1408);
  const [b, d, W, S, T] = [2, 5, 4, 4, 3];
  const x = vals(r, b * d * T);
  const st = vals(r, b * d * S);
  const w = vals(r, d * W, 0.5);
  const bias = vals(r, d);
  const y = new Float64Array(b * d * T);
  const ns = new Float64Array(b * d * S);
  for (let row = 0; row < b * d; row++) {
    const c = row % d;
    const win = [...st.subarray(row * S, row * S + S), ...x.subarray(row * T, row * T + T)];
    for (let t = 0; t < T; t++) {
      let acc = bias[c];
      for (let k = 0; k < W; k++) acc += w[c * W + k] * win[S + t + 1 - W + k];
      y[row * T + t] = silu(acc);
    }
    for (let k = 0; k < S; k++) ns[row * S + k] = win[T + k];
  }
  return mk(
    'causal_conv1d_update_ref',
    'causal_conv1d_update_seqlen3_b2_d5_W4_S4',
    1408,
    'three decode steps',
    { activation: 'silu' },
    {
      x: real([b, d, T], x),
      conv_state: real([b, d, S], st),
      weight: real([d, W], w),
      bias: real([d], bias),
    },
    { out: real([b, d, T], y), new_conv_state: real([b, d, S], ns) },
  );
}
