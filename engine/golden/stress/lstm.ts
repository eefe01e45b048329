// Stress cases for torch.nn.LSTM: long sequences, three layers, saturating gates (large input weights, or
// biases past f32 exp's overflow: the sigmoid's and tanh's far tails), batch_first, no biases, given or
// absent h0/c0, hidden 1, T = 1. Expected values: the input projections of a whole layer first, then the
// recurrence per sequence, in float64.

import { Rng, type StressCase, f, vals } from './common';
import { type Params, type Tensors, caseOf, sigmoid, tensor } from './tensors';

/** torch.nn.LSTM from the golden tensors (x, W_ih_l{k}, W_hh_l{k}, b_ih_l{k}, b_hh_l{k}, h0, c0). */
export function lstmExpected(t: Tensors, p: Params): Tensors {
  const layers = Number(p.num_layers);
  const H = Number(p.hidden_size);
  const bf = p.batch_first === true;
  const [d0, d1, I] = t.x.shape;
  const [T, B] = bf ? [d1, d0] : [d0, d1];
  const xAt = (tt: number, b: number) => (bf ? b * T + tt : tt * B + b);
  // seq[b][tt] is the layer input at step tt of sequence b
  let seq: Float64Array[][] = Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, tt) => t.x.data.slice(xAt(tt, b) * I, (xAt(tt, b) + 1) * I)),
  );
  const hN = new Float64Array(layers * B * H);
  const cN = new Float64Array(layers * B * H);
  for (let l = 0; l < layers; l++) {
    const In = l === 0 ? I : H;
    const Wih = t[`W_ih_l${l}`].data;
    const Whh = t[`W_hh_l${l}`].data;
    const bih = t[`b_ih_l${l}`]?.data;
    const bhh = t[`b_hh_l${l}`]?.data;
    const next: Float64Array[][] = [];
    for (let b = 0; b < B; b++) {
      // the input half of the gates for every step, biases folded in
      const pre = seq[b].map((xt) => {
        const g = new Float64Array(4 * H);
        for (let r = 0; r < 4 * H; r++) {
          let a = 0;
          for (let i = 0; i < In; i++) a += Wih[r * In + i] * xt[i];
          g[r] = a + (bih ? bih[r] : 0) + (bhh ? bhh[r] : 0);
        }
        return g;
      });
      let h = Float64Array.from({ length: H }, (_, j) => t.h0?.data[(l * B + b) * H + j] ?? 0);
      let c = Float64Array.from({ length: H }, (_, j) => t.c0?.data[(l * B + b) * H + j] ?? 0);
      const hs: Float64Array[] = [];
      for (let tt = 0; tt < T; tt++) {
        const g = pre[tt].slice();
        for (let r = 0; r < 4 * H; r++) for (let j = 0; j < H; j++) g[r] += Whh[r * H + j] * h[j];
        const hNew = new Float64Array(H);
        const cNew = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          const [ig, fg, gg, og] = [
            sigmoid(g[j]),
            sigmoid(g[H + j]),
            Math.tanh(g[2 * H + j]),
            sigmoid(g[3 * H + j]),
          ];
          cNew[j] = fg * c[j] + ig * gg;
          hNew[j] = og * Math.tanh(cNew[j]);
        }
        h = hNew;
        c = cNew;
        hs.push(h);
      }
      hN.set(h, (l * B + b) * H);
      cN.set(c, (l * B + b) * H);
      next.push(hs);
    }
    seq = next;
  }
  const out = new Float64Array(T * B * H);
  for (let b = 0; b < B; b++) for (let tt = 0; tt < T; tt++) out.set(seq[b][tt], xAt(tt, b) * H);
  return {
    output: tensor(bf ? [B, T, H] : [T, B, H], out),
    h_n: tensor([layers, B, H], hN),
    c_n: tensor([layers, B, H], cN),
  };
}

interface LstmSpec {
  name: string;
  seed: number;
  T: number;
  b: number;
  I: number;
  H: number;
  layers: number;
  bf: boolean;
  bias: boolean;
  h0c0: boolean;
  /** Scale of layer 0's W_ih (the rest keep torch's init scale 1/sqrt(H)). */
  wIh?: number;
  /** Biases of ±(0.5..1.5)·gateBias per gate row: every gate pinned at 0 or 1 (tanh at ±1). */
  gateBias?: number;
  xScale?: number;
  c0Scale?: number;
}

type Sizes = Pick<LstmSpec, 'T' | 'b' | 'I' | 'H' | 'layers' | 'bf' | 'bias' | 'h0c0'>;
const sz = (
  T: number,
  b: number,
  I: number,
  H: number,
  layers: number,
  ...flags: Array<keyof Sizes>
): Sizes => ({
  T,
  b,
  I,
  H,
  layers,
  bf: flags.includes('bf'),
  bias: !flags.includes('bias'), // listing 'bias' means no bias
  h0c0: flags.includes('h0c0'),
});

// Saturating gates come from large input weights (the recurrence keeps torch's scale: large recurrent
// weights make the sequence chaotic, so one-ulp input noise would change the output by 1e-3) or from
// biases of ±50..150, past f32 exp's overflow at 88 in both directions (sigmoid → exactly 0 or 1).
const specs: LstmSpec[] = [
  { name: '1layer_T200_b2_in5_h9', seed: 7000, ...sz(200, 2, 5, 9, 1) },
  { name: '3layer_h0c0_T41_b3_in7_h11', seed: 7001, ...sz(41, 3, 7, 11, 3, 'h0c0') },
  {
    name: 'saturating_inputs_h0c0_T60_b2_in4_h6',
    seed: 7002,
    ...sz(60, 2, 4, 6, 1, 'h0c0'),
    wIh: 6,
    xScale: 2,
    c0Scale: 4,
  },
  {
    name: 'saturating_inputs_batch_first_nobias_T25_b3_in9_h4',
    seed: 7003,
    ...sz(25, 3, 9, 4, 1, 'bf', 'bias'),
    wIh: 30,
  },
  {
    name: 'saturating_biases_2layer_h0c0_T40_b3_in5_h7',
    seed: 7008,
    ...sz(40, 3, 5, 7, 2, 'h0c0'),
    gateBias: 100,
  },
  { name: 'batch_first_nobias_2layer_T33_b3_in6_h5', seed: 7004, ...sz(33, 3, 6, 5, 2, 'bf', 'bias') },
  { name: 'batch_first_h0c0_T500_b1_in3_h17', seed: 7005, ...sz(500, 1, 3, 17, 1, 'bf', 'h0c0'), c0Scale: 3 },
  { name: 'hidden1_2layer_h0c0_T9_b4_in1_h1', seed: 7006, ...sz(9, 4, 1, 1, 2, 'h0c0') },
  { name: 'T1_nobias_h0c0_b2_in3_h7', seed: 7007, ...sz(1, 2, 3, 7, 1, 'bf', 'bias', 'h0c0') },
];

export function lstmCase(s: LstmSpec): StressCase {
  const r = new Rng(s.seed);
  const { T, b, I, H, layers } = s;
  const t: Tensors = { x: tensor(s.bf ? [b, T, I] : [T, b, I], vals(r, T * b * I, s.xScale ?? 1)) };
  if (s.h0c0) {
    t.h0 = tensor([layers, b, H], vals(r, layers * b * H, 0.5));
    t.c0 = tensor([layers, b, H], vals(r, layers * b * H, s.c0Scale ?? 1));
  }
  const sc = 1 / Math.sqrt(H);
  const pinned = (n: number, g: number) =>
    Float64Array.from({ length: n }, () => f((r.next() < 0.5 ? -g : g) * r.uniform(0.5, 1.5)));
  for (let l = 0; l < layers; l++) {
    const In = l === 0 ? I : H;
    t[`W_ih_l${l}`] = tensor([4 * H, In], vals(r, 4 * H * In, l === 0 && s.wIh ? s.wIh : sc));
    t[`W_hh_l${l}`] = tensor([4 * H, H], vals(r, 4 * H * H, sc));
    if (s.bias) {
      t[`b_ih_l${l}`] = tensor([4 * H], s.gateBias ? pinned(4 * H, s.gateBias) : vals(r, 4 * H, sc));
      t[`b_hh_l${l}`] = tensor([4 * H], vals(r, 4 * H, sc));
    }
  }
  return caseOf(
    'lstm',
    `lstm_${s.name}`,
    s.seed,
    'torch.nn.LSTM (gate order i, f, g, o; h_n, c_n (layers, b, H) even with batch_first)',
    { num_layers: layers, hidden_size: H, batch_first: s.bf, bias: s.bias },
    t,
    lstmExpected,
  );
}

export function lstmCases(): StressCase[] {
  return specs.map(lstmCase);
}
