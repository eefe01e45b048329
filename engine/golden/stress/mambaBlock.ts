// Stress cases for the whole Mamba block (mamba_simple.py Mamba.forward, slow path, no cache): Δ around
// the softplus threshold of 20 (dt + dt_proj.bias in 19–21), sequences shorter than the conv width
// (L = 1, 2, 3 with d_conv 4), with and without in_proj/out_proj and conv1d biases, odd widths, dt_rank 2
// and 3, d_conv 3, the module's init at L = 300. Expected values: one token at a time per sequence, in
// float64, each intermediate written out in upstream's layout at the end.

import { Rng, type StressCase, f, silu, softplus, unif, vals } from './common';
import type { BlockSpec, Params, Tensors } from './tensors';
import { blockWeights, caseOf, moduleDtBias, tensor } from './tensors';

/** y (O) = W (O, I) x (I) + bias. */
function affine(
  W: Float64Array,
  x: ArrayLike<number>,
  O: number,
  I: number,
  bias?: Float64Array,
): Float64Array {
  const y = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    let a = 0;
    for (let i = 0; i < I; i++) a += W[o * I + i] * x[i];
    y[o] = a + (bias ? bias[o] : 0);
  }
  return y;
}

export function mambaBlockExpected(t: Tensors, _p?: Params): Tensors {
  const [Bsz, L, dm] = t.hidden_states.shape;
  const di = t.in_proj_weight.shape[0] / 2;
  const W = t.conv1d_weight.shape[2];
  const R = t.dt_proj_weight.shape[1];
  const N = t.A_log.shape[1];
  const A = t.A_log.data.map((v) => -Math.exp(v));
  const cw = t.conv1d_weight.data;
  const cb = t.conv1d_bias?.data;
  const dtBias = t.dt_proj_bias.data;
  const D = t.D.data;
  const o = {
    out: new Float64Array(Bsz * L * dm),
    xz: new Float64Array(Bsz * 2 * di * L),
    x_conv: new Float64Array(Bsz * di * L),
    dt: new Float64Array(Bsz * di * L),
    delta: new Float64Array(Bsz * di * L),
    B: new Float64Array(Bsz * N * L),
    C: new Float64Array(Bsz * N * L),
    y: new Float64Array(Bsz * L * di),
  };
  for (let b = 0; b < Bsz; b++) {
    const xs: Float64Array[] = []; // x half of in_proj per token
    const state = new Float64Array(di * N);
    for (let l = 0; l < L; l++) {
      const h = t.hidden_states.data.subarray((b * L + l) * dm, (b * L + l + 1) * dm);
      const xz = affine(t.in_proj_weight.data, h, 2 * di, dm, t.in_proj_bias?.data);
      for (let c = 0; c < 2 * di; c++) o.xz[(b * 2 * di + c) * L + l] = xz[c];
      xs.push(xz.slice(0, di));
      // causal depthwise cross-correlation: weight[c][W-1] meets the current token, zeros before l = 0
      const xc = new Float64Array(di);
      for (let c = 0; c < di; c++) {
        let a = cb ? cb[c] : 0;
        for (let w = 0; w < W; w++) {
          const src = l - (W - 1) + w;
          if (src >= 0) a += cw[c * W + w] * xs[src][c];
        }
        xc[c] = silu(a);
        o.x_conv[(b * di + c) * L + l] = xc[c];
      }
      const dbl = affine(t.x_proj_weight.data, xc, R + 2 * N, di);
      const dt = affine(t.dt_proj_weight.data, dbl.subarray(0, R), di, R); // no bias here
      const Bl = dbl.subarray(R, R + N);
      const Cl = dbl.subarray(R + N, R + 2 * N);
      for (let n = 0; n < N; n++) {
        o.B[(b * N + n) * L + l] = Bl[n];
        o.C[(b * N + n) * L + l] = Cl[n];
      }
      const y = new Float64Array(di);
      for (let c = 0; c < di; c++) {
        const dl = softplus(dt[c] + dtBias[c]);
        o.dt[(b * di + c) * L + l] = dt[c];
        o.delta[(b * di + c) * L + l] = dl;
        let acc = 0;
        for (let n = 0; n < N; n++) {
          const s = Math.exp(dl * A[c * N + n]) * state[c * N + n] + dl * Bl[n] * xc[c];
          state[c * N + n] = s;
          acc += s * Cl[n];
        }
        y[c] = (acc + D[c] * xc[c]) * silu(xz[di + c]);
      }
      o.y.set(y, (b * L + l) * di);
      o.out.set(affine(t.out_proj_weight.data, y, dm, di, t.out_proj_bias?.data), (b * L + l) * dm);
    }
  }
  return {
    out: tensor([Bsz, L, dm], o.out),
    xz: tensor([Bsz, 2 * di, L], o.xz),
    x_conv: tensor([Bsz, di, L], o.x_conv),
    dt: tensor([Bsz, di, L], o.dt),
    delta: tensor([Bsz, di, L], o.delta),
    B: tensor([Bsz, N, L], o.B),
    C: tensor([Bsz, N, L], o.C),
    y: tensor([Bsz, L, di], o.y),
  };
}

interface MambaSpec extends BlockSpec {
  N: number;
  dConv: number;
}

/** What most cases share; each row below gives its name, seed, sizes and what differs. */
const BLOCK: Pick<MambaSpec, 'dConv' | 'bias' | 'convBias' | 'init'> = {
  dConv: 4,
  bias: false,
  convBias: true,
  init: 'random',
};

const specs: MambaSpec[] = [
  { ...BLOCK, name: 'softplus_threshold', seed: 7300, b: 1, L: 37, dm: 8, N: 4, init: 'threshold' },
  {
    ...BLOCK,
    name: 'lt_dconv_bias_noconvbias',
    seed: 7301,
    b: 2,
    L: 2,
    dm: 6,
    N: 3,
    bias: true,
    convBias: false,
  },
  { ...BLOCK, name: 'lt_dconv_bias', seed: 7302, b: 1, L: 3, dm: 5, N: 5, bias: true },
  { ...BLOCK, name: 'module_init', seed: 7303, b: 1, L: 300, dm: 24, N: 16, init: 'module' },
  {
    ...BLOCK,
    name: 'dconv3_dtrank3_noconvbias',
    seed: 7304,
    b: 2,
    L: 19,
    dm: 33,
    N: 7,
    dConv: 3,
    convBias: false,
  },
  { ...BLOCK, name: 'threshold_bias', seed: 7305, b: 3, L: 1, dm: 4, N: 2, bias: true, init: 'threshold' },
];

export function mambaBlockCase(s: MambaSpec): StressCase {
  const r = new Rng(s.seed);
  const { b, L, dm, N, dConv } = s;
  const di = 2 * dm;
  const R = Math.ceil(dm / 16);
  const mod = s.init === 'module';
  const w = blockWeights(r, mod);
  const t: Tensors = {
    hidden_states: tensor([b, L, dm], vals(r, b * L * dm)),
    in_proj_weight: tensor([2 * di, dm], w(2 * di * dm, dm)),
    conv1d_weight: tensor([di, 1, dConv], w(di * dConv, dConv)),
  };
  if (s.convBias) t.conv1d_bias = tensor([di], w(di, dConv));
  t.x_proj_weight = tensor([R + 2 * N, di], w((R + 2 * N) * di, di));
  // threshold: small dt_proj weights and a bias of 20 ± 1, so dt + bias straddles softplus's threshold
  t.dt_proj_weight = tensor([di, R], s.init === 'threshold' ? vals(r, di * R, 0.3) : w(di * R, R));
  if (mod) {
    t.dt_proj_bias = tensor([di], moduleDtBias(r, di));
    t.A_log = tensor(
      [di, N],
      Float64Array.from({ length: di * N }, (_, i) => f(Math.log((i % N) + 1))),
    );
    t.D = tensor([di], new Float64Array(di).fill(1));
  } else {
    t.dt_proj_bias = tensor([di], s.init === 'threshold' ? unif(r, di, 19, 21) : vals(r, di, 0.5, -1));
    t.A_log = tensor([di, N], unif(r, di * N, -0.5, 2));
    t.D = tensor([di], vals(r, di));
  }
  t.out_proj_weight = tensor([dm, di], w(dm * di, di));
  if (s.bias) {
    t.in_proj_bias = tensor([2 * di], vals(r, 2 * di, 0.3));
    t.out_proj_bias = tensor([dm], vals(r, dm, 0.3));
  }
  const expected = mambaBlockExpected(t);
  let above = 0;
  for (let i = 0; i < expected.dt.data.length; i++)
    if (expected.dt.data[i] + t.dt_proj_bias.data[Math.floor(i / L) % di] > 20) above++;
  const params = {
    d_model: dm,
    d_inner: di,
    d_state: N,
    d_conv: dConv,
    expand: 2,
    dt_rank: R,
    bias: s.bias,
    conv_bias: s.convBias,
    init: mod ? 'module' : 'random',
    n_dt_plus_bias_above_20: above,
  };
  return caseOf(
    'mamba_block',
    `mamba_block_${s.name}_b${b}_L${L}_dm${dm}_N${N}`,
    s.seed,
    'Mamba block (mamba_simple.py, slow path, no cache): in_proj, causal conv1d + SiLU, x_proj, dt_proj (no bias), selective scan (delta_bias = dt_proj.bias, softplus), gate, out_proj',
    params,
    t,
    () => expected,
  );
}

export function mambaBlockCases(): StressCase[] {
  return specs.map(mambaBlockCase);
}
