// Golden adapters for the RNN family (torch.nn.RNNCell step, torch.nn.RNN): golden case -> program inputs
// -> outputs, on both backends. Layer count from num_layers or the W_ih_l{i} names present; absent biases
// and h0 count as zeros.

import { elmanReference, elmanRnnGpu, type ElmanParams } from '../../programs/rnn/elmanRnn';
import { checkWeights, type RnnWeights } from '../../programs/rnn/common';
import { rnnStepGpu } from '../../programs/rnn/rnnStep';
import { type Nonlinearity, rnnStep } from '../../reference/rnn';
import type { GoldenAdapter, GoldenCase } from '../format';
import { f32, param } from '../format';

const nonlinearity = (c: GoldenCase) => String(param(c, 'nonlinearity', 'tanh')) as Nonlinearity;

function weights(c: GoldenCase, suffix: (l: number) => string, layers: number): RnnWeights[] {
  const i = c.inputs;
  return Array.from({ length: layers }, (_, l) => ({
    Wih: f32(i[`W_ih${suffix(l)}`]),
    Whh: f32(i[`W_hh${suffix(l)}`]),
    bih: i[`b_ih${suffix(l)}`] ? f32(i[`b_ih${suffix(l)}`]) : null,
    bhh: i[`b_hh${suffix(l)}`] ? f32(i[`b_hh${suffix(l)}`]) : null,
  }));
}

function elmanCase(c: GoldenCase) {
  let layers = Number(param(c, 'num_layers', 0));
  if (!layers) while (c.inputs[`W_ih_l${layers}`]) layers++;
  const batchFirst = Boolean(param(c, 'batch_first', false));
  const [d0, d1, inSize] = c.inputs.x.shape;
  const p: ElmanParams = {
    T: batchFirst ? d1 : d0,
    b: batchFirst ? d0 : d1,
    inSize,
    hidden: c.inputs.W_ih_l0.shape[0],
    layers,
    nonlinearity: nonlinearity(c),
    batchFirst,
  };
  const x = {
    x: f32(c.inputs.x),
    h0: c.inputs.h0 ? f32(c.inputs.h0) : null,
    weights: weights(c, (l) => `_l${l}`, layers),
  };
  return { p, x };
}

function stepCase(c: GoldenCase) {
  const [b, inSize] = c.inputs.x.shape;
  const hidden = c.inputs.W_ih.shape[0];
  const w = weights(c, () => '', 1)[0];
  const h = c.inputs.h ? f32(c.inputs.h) : new Float32Array(b * hidden);
  // Both backends refuse inconsistent shapes with the same message (the CPU reference would not notice).
  checkWeights('rnn_tanh_step', w, inSize, hidden);
  if (h.length !== b * hidden) throw new Error(`rnn_tanh_step: h has ${h.length} values, want ${b * hidden}`);
  return { p: { b, inSize, hidden, nonlinearity: nonlinearity(c) }, x: { ...w, x: f32(c.inputs.x), h } };
}

export const rnnAdapters: Record<string, GoldenAdapter> = {
  rnn_tanh_step: {
    cpu: (c) => {
      const { p, x } = stepCase(c);
      return { h_new: rnnStep(x.x, x.h, x, p.b, p.inSize, p.hidden, p.nonlinearity) };
    },
    gpu: async (gpu, c) => {
      const { p, x } = stepCase(c);
      return { h_new: (await rnnStepGpu(gpu, p, x)).hNew };
    },
  },
  elman_rnn: {
    cpu: (c) => {
      const { p, x } = elmanCase(c);
      const r = elmanReference(p, x);
      return { output: r.output, h_n: r.hN };
    },
    gpu: async (gpu, c) => {
      const { p, x } = elmanCase(c);
      const r = await elmanRnnGpu(gpu, p, x);
      return { output: r.output, h_n: r.hN };
    },
  },
};
