// Stress cases for the Mamba-1 selective scan against its recurrence (float64, complex when A is): groups,
// complex A, fixed (D,N) or time-varying (B,N,L)/(B,G,N,L) B and C, softplus > 20, absent optionals.

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
