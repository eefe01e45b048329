// Stress cases for the depthwise causal conv1d (bias, SiLU, initial and final states, d = 4096, L = 1000)
// and its decode step causal_conv1d_update (one token, and three tokens at once).

import { Rng, type RawArray, type StressCase, real, silu, vals, mk } from './common';

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
  ]) {
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
