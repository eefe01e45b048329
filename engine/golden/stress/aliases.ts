// Stress cases for the README functions that compute the same thing as another one (ssm_conv_fft,
// segsum_unstable, ssd_recurrent, ssd_selective_scan, linear_attention_parallel), made by renaming that
// function's cases, plus s4d_scan and log_vandermonde_naive from their definitions.

import {
  type Cx,
  cexp,
  cmul,
  cplx,
  mk,
  type RawArray,
  Rng,
  real,
  type StressCase,
  unif,
  vals,
} from './common';
import { linearAttentionCases } from './linearAttention';
import { convDirect } from './linalg';
import { s4Cases } from './s4';
import { segsumCases, ssdCases } from './ssd';

function renamed(
  cases: StressCase[],
  from: RegExp,
  fn: string,
  edit?: (c: StressCase) => void,
): StressCase[] {
  return cases
    .filter((c) => from.test(c.name))
    .map((c) => {
      const copy: StressCase = {
        ...c,
        name: `stress_${fn}__${c.name.slice('stress_'.length)}`,
        ref_function: `ref.${fn}`,
        params: { ...c.params },
        inputs: { ...c.inputs },
        outputs: { ...c.outputs },
      };
      edit?.(copy);
      return copy;
    });
}

function s4dScanCase(): StressCase {
  const r = new Rng(2200);
  const [H, N2, L] = [3, 5, 500];
  const Are = unif(r, H * N2, -1, -0.1);
  const Aim = vals(r, H * N2, 3);
  const [Bre, Bim, Cre, Cim] = [vals(r, H * N2), vals(r, H * N2), vals(r, H * N2), vals(r, H * N2)];
  const dt = unif(r, H, 0.01, 0.1);
  const u = vals(r, H * L);
  const y = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    // The scan's impulse response is the S4D kernel K[l] = 2Re Σ C B̄ Āˡ (ZOH), so y = K * u.
    const K = new Float64Array(L);
    for (let n = 0; n < N2; n++) {
      const i = h * N2 + n;
      const a: Cx = [Are[i], Aim[i]];
      const Ab = cexp([dt[h] * a[0], dt[h] * a[1]]);
      const d = a[0] * a[0] + a[1] * a[1];
      const q: Cx = [((Ab[0] - 1) * a[0] + Ab[1] * a[1]) / d, (Ab[1] * a[0] - (Ab[0] - 1) * a[1]) / d];
      const cb = cmul([Cre[i], Cim[i]], cmul(q, [Bre[i], Bim[i]]));
      let p: Cx = [1, 0];
      for (let l = 0; l < L; l++) {
        K[l] += 2 * cmul(cb, p)[0];
        p = cmul(p, Ab);
      }
    }
    y.set(convDirect(K, u.subarray(h * L, (h + 1) * L), L), h * L);
  }
  return mk(
    's4d_scan',
    `s4d_scan_zoh_H${H}_N${2 * N2}_L${L}`,
    2200,
    'complex diagonal scan, y = 2Re(C x)',
    { disc: 'zoh' },
    {
      A: cplx([H, N2], Are, Aim),
      B: cplx([H, N2], Bre, Bim),
      C: cplx([H, N2], Cre, Cim),
      dt: real([H], dt),
      u: real([H, L], u),
    },
    { y: real([H, L], y) },
  );
}

function logVandermondeCases(): StressCase[] {
  const r = new Rng(2201);
  const [N, L] = [7, 301];
  const [vr, vi] = [vals(r, N), vals(r, N)];
  const [xr, xi] = [unif(r, N, -0.05, -0.001), vals(r, N, 0.5)];
  const re = new Float64Array(L);
  const im = new Float64Array(L);
  for (let l = 0; l < L; l++)
    for (let n = 0; n < N; n++) {
      const t = cmul([vr[n], vi[n]], cexp([xr[n] * l, xi[n] * l]));
      re[l] += t[0];
      im[l] += t[1];
    }
  const inputs = { v: cplx([N], vr, vi), x: cplx([N], xr, xi) };
  // The conjugate-pair sum (2 Re) and the plain complex sum, on the same inputs.
  const form = (conj: boolean, semantics: string, out: RawArray) =>
    mk(
      'log_vandermonde_naive',
      `log_vandermonde_naive_${conj ? 'conj' : 'complex'}_N${N}_L${L}`,
      2201,
      semantics,
      { L, conj },
      inputs,
      { out },
    );
  return [
    form(
      true,
      '2 Re sum v exp(x l)',
      real(
        [L],
        re.map((v) => 2 * v),
      ),
    ),
    form(false, 'sum v exp(x l)', cplx([L], re, im)),
  ];
}

export function aliasCases(): StressCase[] {
  const ssd = ssdCases();
  return [
    ...renamed(s4Cases(), /^stress_ssm_conv_/, 'ssm_conv_fft'),
    ...renamed(segsumCases(), /./, 'segsum_unstable'),
    ...renamed(ssd, /^stress_ssd_minimal_init_b1_T301/, 'ssd_recurrent', (c) => {
      c.params = {};
    }),
    ...renamed(ssd, /^stress_mamba2_ssd_combined_b(1_T300|2_T37)/, 'ssd_selective_scan'),
    ...renamed(
      linearAttentionCases(),
      /^stress_linear_attention_recurrent_B1_T1000_H2_K8_/,
      'linear_attention_parallel',
      (c) => {
        c.outputs = { o: c.outputs.o };
      },
    ),
    s4dScanCase(),
    ...logVandermondeCases(),
  ];
}
