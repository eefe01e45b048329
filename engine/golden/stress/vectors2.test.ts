// Two independent float64 implementations check each other: every stress case of the eight vectors2
// functions (issue 7), whose expected values come from the generators' own code in stress/, must agree
// with the engine's float64 references (engine/reference) to 1e-9; and the generators' code must
// reproduce the public ../shared/golden/vectors2 cases from their inputs to 1e-9. A third check keeps the
// cases fit for an f32 engine: one-ulp (2^-24 relative) noise on every input moves no output by more
// than 1e-5·max(1, max|want|), a tenth of the golden tolerance.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attentionBackward, attentionBackwardTiled } from '../../reference/attentionBackward';
import { mamba2Block, mambaBlock, rmsNormGated } from '../../reference/blocks';
import { hippoLegsOnline, type OnlineDisc } from '../../reference/hippoOnline';
import { type LstmLayer, lstm } from '../../reference/lstm';
import { rwkv6Recurrent } from '../../reference/rwkv6';
import { Rng } from '../../util/rng';
import { attentionBackwardExpected } from './attentionBackward';
import type { StressCase } from './common';
import { hippoOnlineExpected } from './hippoOnline';
import { vectors2StressCases } from './index';
import { lstmExpected } from './lstm';
import { mamba2BlockExpected } from './mamba2Block';
import { mambaBlockExpected } from './mambaBlock';
import { rmsNormGatedExpected } from './rmsNormGated';
import { rwkv6Expected } from './rwkv6';
import { type Params, type Tensors, fromRawAll } from './tensors';

type Outs = Record<string, ArrayLike<number>>;

/** The weights the two blocks' state_dicts name alike. */
const blockWeights = (t: Tensors) => ({
  inProj: t.in_proj_weight.data,
  inProjBias: t.in_proj_bias?.data,
  conv: t.conv1d_weight.data,
  convBias: t.conv1d_bias?.data,
  Alog: t.A_log.data,
  D: t.D.data,
  outProj: t.out_proj_weight.data,
  outProjBias: t.out_proj_bias?.data,
});

/** The engine's float64 reference for each function, on a case's tensors and params. */
const engine: Record<string, (t: Tensors, p: Params) => Outs> = {
  lstm: (t, p) => {
    const bf = p.batch_first === true;
    const [d0, d1, inSize] = t.x.shape;
    const layers: LstmLayer[] = Array.from({ length: Number(p.num_layers) }, (_, l) => ({
      Wih: t[`W_ih_l${l}`].data,
      Whh: t[`W_hh_l${l}`].data,
      bih: t[`b_ih_l${l}`]?.data,
      bhh: t[`b_hh_l${l}`]?.data,
    }));
    const shape = { T: bf ? d1 : d0, b: bf ? d0 : d1, inSize, hidden: Number(p.hidden_size), batchFirst: bf };
    const r = lstm(shape, t.x.data, layers, t.h0?.data, t.c0?.data);
    return { output: r.output, h_n: r.hN, c_n: r.cN };
  },
  rwkv6_recurrent: (t, p) => {
    const [B, H, T, K] = t.q.shape;
    const x = { q: t.q.data, k: t.k.data, v: t.v.data, w: t.w.data, u: t.u.data, s0: t.initial_state?.data };
    const r = rwkv6Recurrent({ B, H, T, K, V: t.v.shape[3] }, x, Number(p.scale));
    return { o: r.o, final_state: r.finalState };
  },
  attention_backward: (t, p) => {
    const [b, sq, h, d] = t.q.shape;
    const [, sk, hk] = t.k.shape;
    const s = { b, sq, sk, h, hk, d };
    return { ...attentionBackward(t.q.data, t.k.data, t.v.data, t.dout.data, s, p.causal === true) };
  },
  attention_backward_tiled: (t, p) => {
    const [b, sq, h, d] = t.q.shape;
    const [, sk, hk] = t.k.shape;
    const s = { b, sq, sk, h, hk, d };
    const [Br, Bc] = [Number(p.Br), Number(p.Bc)];
    return {
      ...attentionBackwardTiled(t.q.data, t.k.data, t.v.data, t.dout.data, s, Br, Bc, p.causal === true),
    };
  },
  mamba_block: (t) => {
    const [batch, L, dModel] = t.hidden_states.shape;
    const dims = {
      batch,
      L,
      dModel,
      dInner: t.in_proj_weight.shape[0] / 2,
      N: t.A_log.shape[1],
      dConv: t.conv1d_weight.shape[2],
      dtRank: t.dt_proj_weight.shape[1],
    };
    const r = mambaBlock(dims, t.hidden_states.data, {
      ...blockWeights(t),
      xProj: t.x_proj_weight.data,
      dtProj: t.dt_proj_weight.data,
      dtProjBias: t.dt_proj_bias.data,
    });
    return { out: r.out, xz: r.xz, x_conv: r.xConv, dt: r.dt, delta: r.delta, B: r.B, C: r.C, y: r.y };
  },
  mamba2_block: (t, p) => {
    const [batch, L, dModel] = t.u.shape;
    const dims = {
      batch,
      L,
      dModel,
      dInner: t.out_proj_weight.shape[1],
      H: t.dt_bias.shape[0],
      P: Number(p.headdim),
      N: Number(p.d_state),
      G: Number(p.ngroups),
      dConv: t.conv1d_weight.shape[2],
      rmsnorm: p.rmsnorm !== false,
      normBeforeGate: p.norm_before_gate === true,
      normGroupSize: typeof p.norm_group_size === 'number' ? p.norm_group_size : null,
      eps: Number(p.eps),
    };
    const r = mamba2Block(dims, t.u.data, {
      ...blockWeights(t),
      dtBias: t.dt_bias.data,
      norm: t.norm_weight?.data,
    });
    return { out: r.out, zxbcdt: r.zxbcdt, xBC: r.xBC, dt: r.dt, y_ssm: r.ySsm, y_norm: r.yNorm };
  },
  rms_norm_gated: (t, p) => {
    const F = t.x.shape[t.x.shape.length - 1];
    const o = {
      eps: Number(p.eps),
      groupSize: typeof p.group_size === 'number' ? p.group_size : null,
      normBeforeGate: p.norm_before_gate !== false,
    };
    return { out: rmsNormGated(t.x.data, F, t.weight.data, o, t.z?.data, t.bias?.data) };
  },
  hippo_legs_online: (t, p) => {
    const r = hippoLegsOnline(t.f.data, Number(p.N), String(p.discretization) as OnlineDisc);
    return {
      coefficients: r.coefficients,
      reconstruction: r.reconstruction,
      A_stacked: r.Astacked,
      B_stacked: r.Bstacked,
    };
  },
};

/** The generators' own float64 code for each function. */
const mine: Record<string, (t: Tensors, p: Params, outputs: string[]) => Outs> = {
  lstm: (t, p) => data(lstmExpected(t, p)),
  rwkv6_recurrent: (t, p) => data(rwkv6Expected(t, p)),
  attention_backward: (t, p) => data(attentionBackwardExpected(t, p)),
  attention_backward_tiled: (t, p) => data(attentionBackwardExpected(t, p)),
  mamba_block: (t) => data(mambaBlockExpected(t)),
  mamba2_block: (t, p) => data(mamba2BlockExpected(t, p)),
  rms_norm_gated: (t, p) => data(rmsNormGatedExpected(t, p)),
  hippo_legs_online: (t, p, outs) => data(hippoOnlineExpected(t, p, outs.includes('A_stacked'))),
};
const data = (t: Tensors): Outs => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.data]));

/** The worst err / (rel·max(1, max|want|)) over the outputs of `want`; non-finite values must match exactly. */
function worst(got: Outs, want: Tensors, rel: number): { ratio: number; where: string } {
  let ratio = 0;
  let where = '';
  for (const [name, w] of Object.entries(want)) {
    const g = got[name];
    if (!g || g.length !== w.data.length)
      return { ratio: Infinity, where: `${name}: missing or wrong length` };
    let scale = 1;
    for (const v of w.data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < w.data.length; i++) {
      const [a, b] = [g[i], w.data[i]];
      const r = Number.isFinite(b) ? Math.abs(a - b) / (rel * scale) : Object.is(a, b) ? 0 : Infinity;
      if (!(r <= ratio)) {
        ratio = Number.isNaN(r) ? Infinity : r;
        where = `${name}[${i}]: got ${a}, want ${b}`;
      }
    }
  }
  return { ratio, where };
}

const fnOf = (c: { ref_function: string }) => c.ref_function.slice(4);
const cases = vectors2StressCases();

describe('the vectors2 stress cases (issue 7)', () => {
  it('cover the eight functions, each with several cases, under distinct names', () => {
    const count = new Map<string, number>();
    for (const c of cases) count.set(fnOf(c), (count.get(fnOf(c)) ?? 0) + 1);
    expect([...count.keys()].sort()).toEqual(Object.keys(engine).sort());
    for (const n of count.values()) expect(n).toBeGreaterThanOrEqual(6);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('agree with the engine float64 references to 1e-9', () => {
    const bad: string[] = [];
    for (const c of cases) {
      const { ratio, where } = worst(
        engine[fnOf(c)](fromRawAll(c.inputs), c.params),
        fromRawAll(c.outputs),
        1e-9,
      );
      if (!(ratio <= 1)) bad.push(`${c.name}: ${where} (${ratio.toExponential(2)} x 1e-9)`);
    }
    expect(bad).toEqual([]);
  }, 120_000);

  it('have the edge cases they claim: masked rows, Δ around 20, L < d_conv, the f ≡ 1 fixed point', () => {
    const byName = (re: RegExp) => cases.filter((c) => re.test(c.name));
    const masked = byName(/attention_backward.*masked_rows/);
    expect(masked.length).toBeGreaterThanOrEqual(6);
    for (const c of masked) {
      const lse = fromRawAll(c.outputs).lse.data;
      expect(lse.some((v) => v === Infinity)).toBe(true);
    }
    for (const c of byName(/mamba2?_block.*threshold/)) {
      const above = Number(c.params.n_dt_plus_bias_above_20);
      expect(above, c.name).toBeGreaterThan(0);
    }
    expect(byName(/mamba2?_block.*_L[123]_/).length).toBeGreaterThanOrEqual(4);
    for (const c of byName(/hippo_legs_online.*bilinear_const/)) {
      const L = Number(c.params.max_length);
      const N = Number(c.params.N);
      const coef = fromRawAll(c.outputs).coefficients.data;
      expect(Math.abs(coef[(L - 1) * N] - (1 - 1 / (2 * L + 1)))).toBeLessThan(1e-12);
    }
  });

  it('the generators reproduce the public vectors2 cases from their inputs to 1e-9', () => {
    const dir = '../shared/golden/vectors2';
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      cases: Array<{ file: string }>;
    };
    expect(index.cases.length).toBe(27);
    const bad: string[] = [];
    for (const { file } of index.cases) {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as StressCase;
      const want = fromRawAll(c.outputs);
      const { ratio, where } = worst(
        mine[fnOf(c)](fromRawAll(c.inputs), c.params, Object.keys(want)),
        want,
        1e-9,
      );
      if (!(ratio <= 1)) bad.push(`${c.name}: ${where} (${ratio.toExponential(2)} x 1e-9)`);
    }
    expect(bad).toEqual([]);
  }, 60_000);

  it('one-ulp input noise moves no output by more than 1e-5 of its scale (fit for an f32 engine)', () => {
    const r = new Rng(77);
    const bad: string[] = [];
    for (const c of cases) {
      const t = fromRawAll(c.inputs);
      for (const v of Object.values(t))
        for (let i = 0; i < v.data.length; i++) v.data[i] *= 1 + (r.next() < 0.5 ? -1 : 1) * 2 ** -24;
      const want = fromRawAll(c.outputs);
      const { ratio, where } = worst(mine[fnOf(c)](t, c.params, Object.keys(want)), want, 1e-5);
      if (!(ratio <= 1)) bad.push(`${c.name}: ${where} (${ratio.toExponential(2)} x 1e-5)`);
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
