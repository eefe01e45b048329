// Stress cases for the whole Mamba-2 block (mamba2.py Mamba2.forward, no fused path, no cache): ngroups 1,
// 2 and 4, rmsnorm on and off, norm_before_gate true and false, D per head and per channel (D_has_hdim),
// L < d_conv, in/out_proj and conv biases, dt + dt_bias around softplus's threshold of 20, d_mlp > 0 (the
// silu(z0)·x0 branch) and the module's init at L = 300. The SSD step is computed in its dual (quadratic)
// form, Y_t = Σ_{s≤t} e^{A Σ_{r=s+1..t} dt_r} (C_t·B_s) dt_s x_s, not by the recurrence.

import { Rng, type StressCase, f, silu, softplus, unif, vals } from './common';
import { rmsNorm } from './rmsNormGated';
import type { BlockSpec, Params, Tensors } from './tensors';
import { blockWeights, caseOf, moduleDtBias, tensor } from './tensors';

export function mamba2BlockExpected(t: Tensors, p: Params): Tensors {
  const [Bsz, L, dm] = t.u.shape;
  const [width] = t.in_proj_weight.shape;
  const [convDim, , W] = t.conv1d_weight.shape;
  const dInner = t.out_proj_weight.shape[1];
  const H = t.dt_bias.shape[0];
  const P = Number(p.headdim);
  const N = Number(p.d_state);
  const G = Number(p.ngroups);
  const dSsm = H * P;
  const dMlp = dInner - dSsm;
  const offZ = 2 * dMlp;
  const offXBC = offZ + dSsm;
  const rows = Bsz * L;
  const proj = (x: ArrayLike<number>, Wt: Float64Array, O: number, I: number, bias?: Float64Array) => {
    const y = new Float64Array(O);
    for (let o = 0; o < O; o++) {
      let a = bias ? bias[o] : 0;
      for (let i = 0; i < I; i++) a += Wt[o * I + i] * x[i];
      y[o] = a;
    }
    return y;
  };
  const zx = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++)
    zx.set(
      proj(t.u.data.subarray(r * dm, (r + 1) * dm), t.in_proj_weight.data, width, dm, t.in_proj_bias?.data),
      r * width,
    );
  const xBC = new Float64Array(rows * convDim);
  const dt = new Float64Array(rows * H);
  for (let b = 0; b < Bsz; b++)
    for (let l = 0; l < L; l++) {
      const r = b * L + l;
      for (let c = 0; c < convDim; c++) {
        let a = t.conv1d_bias ? t.conv1d_bias.data[c] : 0;
        for (let w = 0; w < W; w++) {
          const src = l - (W - 1) + w;
          if (src >= 0) a += t.conv1d_weight.data[c * W + w] * zx[(b * L + src) * width + offXBC + c];
        }
        xBC[r * convDim + c] = silu(a);
      }
      for (let hh = 0; hh < H; hh++)
        dt[r * H + hh] = softplus(zx[r * width + width - H + hh] + t.dt_bias.data[hh]);
    }
  const perChannel = t.D.data.length === dSsm;
  const ySsm = new Float64Array(rows * dSsm);
  for (let b = 0; b < Bsz; b++)
    for (let hh = 0; hh < H; hh++) {
      const A = -Math.exp(t.A_log.data[hh]);
      const g = Math.floor(hh / (H / G));
      const Bat = (l: number, n: number) => xBC[(b * L + l) * convDim + dSsm + g * N + n];
      const Cat = (l: number, n: number) => xBC[(b * L + l) * convDim + dSsm + G * N + g * N + n];
      for (let tt = 0; tt < L; tt++) {
        let seg = 0; // A · Σ_{r=s+1..tt} dt_r
        for (let s = tt; s >= 0; s--) {
          let cb = 0;
          for (let n = 0; n < N; n++) cb += Cat(tt, n) * Bat(s, n);
          const wgt = Math.exp(seg) * cb * dt[(b * L + s) * H + hh];
          for (let pp = 0; pp < P; pp++)
            ySsm[(b * L + tt) * dSsm + hh * P + pp] += wgt * xBC[(b * L + s) * convDim + hh * P + pp];
          seg += A * dt[(b * L + s) * H + hh];
        }
      }
    }
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < dSsm; i++) {
      const Dv = perChannel ? t.D.data[i] : t.D.data[Math.floor(i / P)];
      let y = ySsm[r * dSsm + i] + Dv * xBC[r * convDim + i];
      if (p.rmsnorm === false) y *= silu(zx[r * width + offZ + i]);
      ySsm[r * dSsm + i] = y;
    }
  let normed: Float64Array = ySsm;
  if (p.rmsnorm !== false) {
    const z = new Float64Array(rows * dSsm);
    for (let r = 0; r < rows; r++) z.set(zx.subarray(r * width + offZ, r * width + offZ + dSsm), r * dSsm);
    const gs = typeof p.norm_group_size === 'number' ? p.norm_group_size : dSsm / G;
    const o = { eps: Number(p.eps), groupSize: gs, normBeforeGate: p.norm_before_gate === true };
    normed = rmsNorm(ySsm, dSsm, t.norm_weight?.data ?? new Float64Array(dSsm).fill(1), o, z);
  }
  const yNorm = new Float64Array(rows * dInner);
  const out = new Float64Array(rows * dm);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < dMlp; i++) yNorm[r * dInner + i] = silu(zx[r * width + i]) * zx[r * width + dMlp + i];
    yNorm.set(normed.subarray(r * dSsm, (r + 1) * dSsm), r * dInner + dMlp);
    out.set(
      proj(
        yNorm.subarray(r * dInner, (r + 1) * dInner),
        t.out_proj_weight.data,
        dm,
        dInner,
        t.out_proj_bias?.data,
      ),
      r * dm,
    );
  }
  return {
    out: tensor([Bsz, L, dm], out),
    zxbcdt: tensor([Bsz, L, width], zx),
    xBC: tensor([Bsz, L, convDim], xBC),
    dt: tensor([Bsz, L, H], dt),
    y_ssm: tensor([Bsz, L, dSsm], ySsm),
    y_norm: tensor([Bsz, L, dInner], yNorm),
  };
}

interface Mamba2Spec extends BlockSpec {
  /** d_ssm; d_inner = 2·dm, so d_mlp = 2·dm − dSsm. */
  dSsm?: number;
  P: number;
  N: number;
  G: number;
  rmsnorm: boolean;
  nbg: boolean;
  Dhdim: boolean;
}

/** What most cases share; each row below gives its name, seed, sizes and what differs. */
const BLOCK2: Pick<Mamba2Spec, 'G' | 'rmsnorm' | 'nbg' | 'Dhdim' | 'bias' | 'convBias' | 'init'> = {
  G: 1,
  rmsnorm: true,
  nbg: false,
  Dhdim: false,
  bias: false,
  convBias: true,
  init: 'random',
};

const specs: Mamba2Spec[] = [
  { ...BLOCK2, name: 'lt_dconv', seed: 7400, b: 2, L: 2, dm: 8, P: 4, N: 5 },
  {
    ...BLOCK2,
    name: 'norm_before_gate_Dhdim',
    seed: 7401,
    b: 1,
    L: 29,
    dm: 12,
    P: 6,
    N: 7,
    G: 2,
    nbg: true,
    Dhdim: true,
  },
  {
    ...BLOCK2,
    name: 'noRMSnorm_bias_noconvbias_threshold',
    seed: 7402,
    b: 1,
    L: 17,
    dm: 10,
    P: 5,
    N: 4,
    rmsnorm: false,
    bias: true,
    convBias: false,
    init: 'threshold',
  },
  { ...BLOCK2, name: 'module_init', seed: 7403, b: 1, L: 300, dm: 16, P: 8, N: 16, G: 2, init: 'module' },
  { ...BLOCK2, name: 'dmlp8', seed: 7404, b: 2, L: 11, dm: 8, dSsm: 8, P: 4, N: 4 },
  {
    ...BLOCK2,
    name: 'lt_dconv_norm_before_gate_Dhdim',
    seed: 7405,
    b: 1,
    L: 3,
    dm: 8,
    P: 2,
    N: 3,
    G: 4,
    nbg: true,
    Dhdim: true,
    bias: true,
  },
  {
    ...BLOCK2,
    name: 'noRMSnorm_Dhdim',
    seed: 7406,
    b: 3,
    L: 1,
    dm: 6,
    P: 3,
    N: 2,
    G: 2,
    rmsnorm: false,
    Dhdim: true,
    convBias: false,
  },
];

export function mamba2BlockCase(s: Mamba2Spec): StressCase {
  const r = new Rng(s.seed);
  const { b, L, dm, P, N, G } = s;
  const dInner = 2 * dm;
  const dSsm = s.dSsm ?? dInner;
  const H = dSsm / P;
  const dConv = 4;
  const convDim = dSsm + 2 * G * N;
  const width = 2 * (dInner - dSsm) + 2 * dSsm + 2 * G * N + H;
  const mod = s.init === 'module';
  const w = blockWeights(r, mod);
  const t: Tensors = {
    u: tensor([b, L, dm], vals(r, b * L * dm)),
    in_proj_weight: tensor([width, dm], w(width * dm, dm)),
    conv1d_weight: tensor([convDim, 1, dConv], w(convDim * dConv, dConv)),
  };
  if (s.convBias) t.conv1d_bias = tensor([convDim], w(convDim, dConv));
  if (mod) {
    t.dt_bias = tensor([H], moduleDtBias(r, H));
    t.A_log = tensor(
      [H],
      Float64Array.from({ length: H }, () => f(Math.log(r.uniform(1, 16)))),
    );
    t.D = tensor([s.Dhdim ? dSsm : H], new Float64Array(s.Dhdim ? dSsm : H).fill(1));
  } else {
    t.dt_bias = tensor([H], s.init === 'threshold' ? unif(r, H, 19.5, 20.5) : vals(r, H, 0.5, -1));
    t.A_log = tensor([H], unif(r, H, -1, 2.7));
    t.D = tensor([s.Dhdim ? dSsm : H], vals(r, s.Dhdim ? dSsm : H));
  }
  if (s.rmsnorm) t.norm_weight = tensor([dSsm], mod ? new Float64Array(dSsm).fill(1) : vals(r, dSsm, 0.3, 1));
  t.out_proj_weight = tensor([dm, dInner], w(dm * dInner, dInner));
  if (s.bias) {
    t.in_proj_bias = tensor([width], vals(r, width, 0.3));
    t.out_proj_bias = tensor([dm], vals(r, dm, 0.3));
  }
  const params: Params = {
    d_model: dm,
    d_inner: dInner,
    d_ssm: dSsm,
    headdim: P,
    nheads: H,
    d_state: N,
    ngroups: G,
    d_conv: dConv,
    expand: 2,
    rmsnorm: s.rmsnorm,
    norm_before_gate: s.nbg,
    norm_group_size: s.rmsnorm ? dSsm / G : null,
    eps: f(1e-5),
    D_has_hdim: s.Dhdim,
    bias: s.bias,
    conv_bias: s.convBias,
    init: mod ? 'module' : 'random',
  };
  const expected = mamba2BlockExpected(t, params);
  let above = 0;
  for (let rr = 0; rr < b * L; rr++)
    for (let hh = 0; hh < H; hh++)
      if (expected.zxbcdt.data[rr * width + width - H + hh] + t.dt_bias.data[hh] > 20) above++;
  params.n_dt_plus_bias_above_20 = above;
  return caseOf(
    'mamba2_block',
    `mamba2_block_${s.name}_b${b}_L${L}_dm${dm}_hd${P}_N${N}_g${G}`,
    s.seed,
    'Mamba2 block (mamba2.py, no fused path, no cache): in_proj split [z0, x0, z, xBC, dt], causal conv1d + SiLU over xBC, SSD (softplus(dt + dt_bias), A = -exp(A_log)), + D x, gated RMSNorm (or silu(z) gate), out_proj',
    params,
    t,
    () => expected,
  );
}

export function mamba2BlockCases(): StressCase[] {
  return specs.map(mamba2BlockCase);
}
