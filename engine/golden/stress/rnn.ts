// Stress cases for torch.nn.RNNCell and torch.nn.RNN: hidden > 256, T = 1000, relu, no biases, absent h/h0,
// batch_first.

import { Rng, type Arr, type RawArray, type StressCase, real, vals, mk } from './common';

export function rnnCell(
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

export function rnnCases(): StressCase[] {
  const out: StressCase[] = [];
  for (const s of [
    { name: 'b3_in7_h13_tanh', seed: 1900, b: 3, I: 7, Hd: 13, relu: false, bias: true },
    { name: 'b2_in5_h6_relu_nobias', seed: 1901, b: 2, I: 5, Hd: 6, relu: true, bias: false },
    { name: 'b1_in300_h257_no_h', seed: 1902, b: 1, I: 300, Hd: 257, relu: false, bias: true, noH: true },
  ]) {
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
