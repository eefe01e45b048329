// Stress cases for the gated RMSNorm (layernorm_gated.py rms_norm_ref, upcast): groups of 1, 5, 6, 8 and
// 16 features or the whole last dim, z gating before or after the norm or absent, bias, 2-, 3- and 4-D x,
// values so small that eps dominates and so large that it does not matter. The same float64 code gives the
// Mamba-2 block's norm (mamba2Block.ts).

import { Rng, type StressCase, f, silu, vals } from './common';
import { type Params, type Tensors, caseOf, prod, tensor } from './tensors';

export interface RmsOptions {
  eps: number;
  groupSize: number;
  normBeforeGate: boolean;
}

/** x, z (rows·F); weight, bias (F): gate, then per group x·(mean(x²)+eps)^-½·weight + bias, or the reverse. */
export function rmsNorm(
  x: ArrayLike<number>,
  F: number,
  weight: ArrayLike<number>,
  o: RmsOptions,
  z?: ArrayLike<number>,
  bias?: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(x.length);
  const g = o.groupSize;
  const gated = new Float64Array(g);
  for (let row = 0; row < x.length / F; row++)
    for (let g0 = 0; g0 < F; g0 += g) {
      let ss = 0;
      for (let j = 0; j < g; j++) {
        const i = row * F + g0 + j;
        gated[j] = z && !o.normBeforeGate ? x[i] * silu(z[i]) : x[i];
        ss += gated[j] ** 2;
      }
      const inv = 1 / Math.sqrt(ss / g + o.eps);
      for (let j = 0; j < g; j++) {
        const i = row * F + g0 + j;
        const y = gated[j] * inv * weight[g0 + j] + (bias ? bias[g0 + j] : 0);
        out[i] = z && o.normBeforeGate ? y * silu(z[i]) : y;
      }
    }
  return out;
}

export function rmsNormGatedExpected(t: Tensors, p: Params): Tensors {
  const F = t.x.shape[t.x.shape.length - 1];
  const gs = typeof p.group_size === 'number' ? p.group_size : F;
  const o = { eps: Number(p.eps ?? 1e-6), groupSize: gs, normBeforeGate: p.norm_before_gate !== false };
  return { out: tensor(t.x.shape, rmsNorm(t.x.data, F, t.weight.data, o, t.z?.data, t.bias?.data)) };
}

interface RmsSpec {
  name: string;
  seed: number;
  shape: number[];
  group: number | null;
  z: boolean;
  nbg: boolean;
  bias: boolean;
  eps: number;
  xScale?: number;
}

const specs: RmsSpec[] = [
  {
    name: 'x3x7x24_group6_z_gate_before_norm_bias',
    seed: 7500,
    shape: [3, 7, 24],
    group: 6,
    z: true,
    nbg: false,
    bias: true,
    eps: 1e-5,
  },
  {
    name: 'x5x40_z_norm_before_gate',
    seed: 7501,
    shape: [5, 40],
    group: null,
    z: true,
    nbg: true,
    bias: false,
    eps: 1e-6,
  },
  {
    name: 'x2x3x3x10_group5_noz_bias',
    seed: 7502,
    shape: [2, 3, 3, 10],
    group: 5,
    z: false,
    nbg: true,
    bias: true,
    eps: 1e-6,
  },
  {
    name: 'x300x48_group16_z_gate_before_norm',
    seed: 7503,
    shape: [300, 48],
    group: 16,
    z: true,
    nbg: false,
    bias: false,
    eps: 1e-5,
  },
  // mean(x²) ~ 1e-6 (times silu(z)² before the norm): eps = 1e-5 dominates
  {
    name: 'tiny_x4x32_group8_z_gate_before_norm_eps_dominates',
    seed: 7504,
    shape: [4, 32],
    group: 8,
    z: true,
    nbg: false,
    bias: false,
    eps: 1e-5,
    xScale: 1e-3,
  },
  {
    name: 'x6x9_group1_z_norm_before_gate_bias',
    seed: 7505,
    shape: [6, 9],
    group: 1,
    z: true,
    nbg: true,
    bias: true,
    eps: 1e-6,
  },
  {
    name: 'huge_x2x17_z_gate_before_norm',
    seed: 7506,
    shape: [2, 17],
    group: null,
    z: true,
    nbg: false,
    bias: true,
    eps: 1e-5,
    xScale: 1e3,
  },
];

export function rmsNormGatedCases(): StressCase[] {
  return specs.map((s) => {
    const r = new Rng(s.seed);
    const F = s.shape[s.shape.length - 1];
    const n = prod(s.shape);
    const t: Tensors = {
      x: tensor(s.shape, vals(r, n, s.xScale ?? 1)),
      weight: tensor([F], vals(r, F, 0.5, 1)),
    };
    if (s.bias) t.bias = tensor([F], vals(r, F, 0.3));
    if (s.z) t.z = tensor(s.shape, vals(r, n, 1.5));
    return caseOf(
      'rms_norm_gated',
      `rms_norm_gated_${s.name}`,
      s.seed,
      'rms_norm_ref: optional x*silu(z) first, per group x / sqrt(mean(x^2) + eps) * weight (+ bias), optional *silu(z) last',
      { eps: f(s.eps), group_size: s.group, norm_before_gate: s.nbg },
      t,
      rmsNormGatedExpected,
    );
  });
}
