// Grid-limit cases: more than 65535 independent rows (heads, channels, batch) or steps, with tiny work per
// row, so every kernel must fold its grid into y/z (maxComputeWorkgroupsPerDimension) and bounds-check.
// Expected outputs come from the same plain float64 recurrences as the other stress cases.

import { type StressCase, mk, type RawArray, Rng, real, silu, softplus, unif, vals } from './common';
import { kernelPowers } from './linalg';
import { laRecurrence } from './linearAttention';
import { selectiveScanCase } from './selectiveScan';
import { rnnCell } from './rnn';
import { ssdRecurrence } from './ssd';

/** Rows past the 65535 workgroups of one grid dimension. */
const R = 70001;

function attention(): StressCase[] {
  const r = new Rng(2000);
  const q = vals(r, R);
  const k = vals(r, R);
  const v = vals(r, R);
  // sq = sk = 1, d = 1: the one key gets weight 1, so out = v and lse = q·k (scale 1/sqrt(1)).
  const inputs = { q: real([1, 1, R, 1], q), k: real([1, 1, R, 1], k), v: real([1, 1, R, 1], v) };
  const outputs = {
    out: real([1, 1, R, 1], v),
    lse: real(
      [1, R, 1],
      q.map((x, i) => x * k[i]),
    ),
  };
  return [
    mk(
      'softmax_attention',
      `grid_softmax_attention_h${R}`,
      2000,
      'one key',
      { causal: true, softmax_scale: 1 },
      inputs,
      outputs,
    ),
    mk(
      'flash_attention_tiled',
      `grid_flash_attention_tiled_h${R}`,
      2000,
      'one key',
      { causal: true, Br: 64, Bc: 64, softmax_scale: 1 },
      inputs,
      outputs,
    ),
  ];
}

function mamba(): StressCase[] {
  const out: StressCase[] = [
    selectiveScanCase({
      name: 'grid_selective_scan_B17_D4096',
      seed: 2010,
      batch: 17,
      D: 4096,
      N: 2,
      L: 2,
      complex: false,
      layout: 'BNL',
      softplus: true,
      hasD: false,
      hasZ: false,
      hasBias: false,
    }),
  ];
  const r = new Rng(2011);
  const [state, x, dt, B, C] = [vals(r, R), vals(r, R), vals(r, R), vals(r, 1), vals(r, 1)];
  const A = unif(r, R, -2, -0.5);
  const ns = state.map((s, i) => s * Math.exp(softplus(dt[i]) * A[i]) + softplus(dt[i]) * B[0] * x[i]);
  out.push(
    mk(
      'selective_state_update_ref',
      `grid_selective_state_update_dim${R}`,
      2011,
      'one step',
      { dt_softplus: true },
      {
        state: real([1, R, 1], state),
        x: real([1, R], x),
        dt: real([1, R], dt),
        A: real([R, 1], A),
        B: real([1, 1], B),
        C: real([1, 1], C),
      },
      {
        out: real(
          [1, R],
          ns.map((s) => s * C[0]),
        ),
        new_state: real([1, R, 1], ns),
      },
    ),
  );
  const xc = vals(r, 2 * R);
  const w = vals(r, 2 * R);
  const y = xc.map((v, i) => {
    const [c, t] = [Math.floor(i / 2), i % 2];
    return silu(w[2 * c + 1] * v + (t === 1 ? w[2 * c] * xc[i - 1] : 0));
  });
  out.push(
    mk(
      'causal_conv1d_ref',
      `grid_causal_conv1d_d${R}`,
      2011,
      'W=2',
      { activation: 'silu' },
      {
        x: real([1, R, 2], xc),
        weight: real([R, 2], w),
      },
      { out: real([1, R, 2], y) },
    ),
  );
  return out;
}

function ssd(): StressCase[] {
  const r = new Rng(2020);
  const T = 2;
  const X = vals(r, T * R, 0.1);
  const A = unif(r, T * R, -1, -0.01);
  const B = vals(r, T * R);
  const C = vals(r, T * R);
  const dims = { b: 1, T, h: R, p: 1, n: 1, hB: R };
  const { Y, fin } = ssdRecurrence(X, A, B, C, dims);
  const Ah = unif(r, R, -4, -1);
  const dt = vals(r, T * R);
  const Bg = vals(r, T);
  const Cg = vals(r, T);
  const dtp = dt.map(softplus);
  const m2 = ssdRecurrence(
    X.map((v, i) => v * dtp[i]),
    dtp.map((v, i) => v * Ah[i % R]),
    Bg,
    Cg,
    { ...dims, hB: 1 },
  );
  const x4 = (a: ArrayLike<number>): RawArray => real([1, T, R, 1], a);
  return [
    mk(
      'ssd_minimal_discrete',
      `grid_ssd_minimal_h${R}`,
      2020,
      'recurrence',
      { block_len: 2 },
      {
        X: x4(X),
        A: real([1, T, R], A),
        B: x4(B),
        C: x4(C),
      },
      { Y: x4(Y), final_state: real([1, R, 1, 1], fin) },
    ),
    mk(
      'ssd_chunk_scan_combined_ref',
      `grid_mamba2_ssd_combined_h${R}`,
      2020,
      'recurrence',
      { chunk_size: 2, dt_softplus: true },
      {
        x: x4(X),
        dt: real([1, T, R], dt),
        A: real([R], Ah),
        B: real([1, T, 1, 1], Bg),
        C: real([1, T, 1, 1], Cg),
      },
      { out: x4(m2.Y) },
    ),
  ];
}

function linearAttention(): StressCase[] {
  const r = new Rng(2030);
  const d = { B: 1, T: 2, H: R, K: 1, V: 1 };
  const [q, k, v] = [vals(r, 2 * R), vals(r, 2 * R), vals(r, 2 * R)];
  const g = unif(r, 2 * R, -1, -0.01);
  const a = (x: ArrayLike<number>) => real([1, 2, R, 1], x);
  const base = { q: a(q), k: a(k), v: a(v) };
  const la = laRecurrence(q, k, v, d, 1, () => 1);
  const sg = laRecurrence(q, k, v, d, 1, (_b, t, h) => Math.exp(g[t * R + h]));
  const gl = laRecurrence(q, k, v, d, 1, (_b, t, h) => Math.exp(g[t * R + h]));
  const res = (x: { o: Float64Array; fin: Float64Array }) => ({
    o: a(x.o),
    final_state: real([1, R, 1, 1], x.fin),
  });
  return [
    mk(
      'linear_attention_recurrent',
      `grid_linear_attention_recurrent_H${R}`,
      2030,
      'recurrence',
      { scale: 1 },
      base,
      res(la),
    ),
    mk(
      'linear_attention_chunked',
      `grid_linear_attention_chunked_H${R}`,
      2030,
      'recurrence',
      { scale: 1, chunk_size: 2 },
      base,
      res(la),
    ),
    mk(
      'simple_gla_recurrent',
      `grid_simple_gla_recurrent_H${R}`,
      2030,
      'recurrence',
      { scale: 1 },
      { ...base, g: real([1, 2, R], g) },
      res(sg),
    ),
    mk(
      'gla_recurrent',
      `grid_gla_recurrent_H${R}`,
      2030,
      'recurrence, K=1 so scale 1',
      {},
      { ...base, gk: a(g) },
      res(gl),
    ),
  ];
}

function rnn(): StressCase[] {
  const r = new Rng(2040);
  const [x, h, w] = [vals(r, R), vals(r, R), vals(r, 4)];
  const hn = rnnCell(x, h, [w[0]], [w[1]], [w[2]], [w[3]], R, 1, 1, false);
  const xs = vals(r, 2 * R);
  let s = new Float64Array(R);
  const output = new Float64Array(2 * R);
  for (let t = 0; t < 2; t++) {
    s = rnnCell(xs.subarray(t * R, (t + 1) * R), s, [w[0]], [w[1]], [w[2]], [w[3]], R, 1, 1, false);
    output.set(s, t * R);
  }
  const wts = {
    W_ih: real([1, 1], [w[0]]),
    W_hh: real([1, 1], [w[1]]),
    b_ih: real([1], [w[2]]),
    b_hh: real([1], [w[3]]),
  };
  return [
    mk(
      'rnn_tanh_step',
      `grid_rnn_tanh_step_b${R}`,
      2040,
      'RNNCell',
      {},
      { x: real([R, 1], x), h: real([R, 1], h), ...wts },
      {
        h_new: real([R, 1], hn),
      },
    ),
    mk(
      'elman_rnn',
      `grid_elman_rnn_b${R}`,
      2040,
      'torch.nn.RNN',
      { num_layers: 1, nonlinearity: 'tanh', batch_first: false },
      {
        x: real([2, R, 1], xs),
        W_ih_l0: wts.W_ih,
        W_hh_l0: wts.W_hh,
        b_ih_l0: wts.b_ih,
        b_hh_l0: wts.b_hh,
      },
      { output: real([2, R, 1], output), h_n: real([1, R, 1], s) },
    ),
  ];
}

function s4(): StressCase[] {
  const r = new Rng(2050);
  const L = R;
  const Abar = [0.9, 0.05, -0.05, 0.8].map(Math.fround);
  const [Bbar, C] = [vals(r, 2), vals(r, 2)];
  const u = vals(r, L);
  const K = kernelPowers(Abar, Bbar, C, 2, L);
  const Kt = new Float64Array(L);
  Kt.set(vals(r, 3));
  const y = u.map((_, k) => {
    let acc = 0;
    for (let j = 0; j <= Math.min(2, k); j++) acc += Kt[j] * u[k - j];
    return acc;
  });
  const seg = vals(r, 2 * R);
  const so = new Float64Array(4 * R);
  for (let i = 0; i < R; i++) so.set([0, Number.NEGATIVE_INFINITY, seg[2 * i + 1], 0], 4 * i);
  const uc = vals(r, 2 * R);
  const Kc = vals(r, 2 * R);
  const D = vals(r, R);
  const yc = uc.map((v, i) => {
    const [c, t] = [Math.floor(i / 2), i % 2];
    return Kc[2 * c] * v + (t === 1 ? Kc[2 * c + 1] * uc[i - 1] : 0) + v * D[c];
  });
  return [
    mk(
      's4_kernel',
      `grid_s4_kernel_L${L}`,
      2050,
      'matrix powers',
      { L },
      {
        Abar: real([2, 2], Abar),
        Bbar: real([2], Bbar),
        C: real([2], C),
      },
      { K: real([L], K) },
    ),
    mk(
      'ssm_conv',
      `grid_ssm_conv_L${L}`,
      2050,
      'three taps',
      {},
      { K: real([L], Kt), u: real([L], u) },
      {
        y: real([L], y),
      },
    ),
    mk(
      'segsum',
      `grid_segsum_${R}x2`,
      2050,
      'segment sums',
      {},
      { x: real([R, 2], seg) },
      { out: real([R, 2, 2], so) },
    ),
    mk(
      's4d_conv_layer',
      `grid_s4d_conv_layer_H${R}`,
      2050,
      'conv + D',
      {},
      {
        u: real([1, R, 2], uc),
        K: real([R, 2], Kc),
        D: real([R], D),
      },
      { y: real([1, R, 2], yc) },
    ),
  ];
}

/** Every grid-limit case. */
export function gridLimitCases(): StressCase[] {
  return [...attention(), ...mamba(), ...ssd(), ...linearAttention(), ...rnn(), ...s4()];
}
