// Golden adapters for the RNN family (torch.nn.RNNCell step, torch.nn.RNN, torch.nn.LSTM): golden case ->
// program inputs -> outputs, on both backends. Layer count from num_layers or the W_ih_l{i} names present;
// absent biases and h0 (c0) count as zeros. Inconsistent shapes fail on both backends with one message.

import { elmanReference, elmanRnnGpu, type ElmanParams } from '../../programs/rnn/elmanRnn';
import { checkWeights, type RnnWeights } from '../../programs/rnn/common';
import { type LstmParams, lstmGpu, lstmReference, validateLstm } from '../../programs/rnn/lstm';
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

/** The sizes of a torch.nn.RNN / LSTM case; `gates` = rows of W_ih per hidden unit (1 or 4). */
function sequenceShape(c: GoldenCase, gates: number) {
  let layers = Number(param(c, 'num_layers', 0));
  if (!layers) while (c.inputs[`W_ih_l${layers}`]) layers++;
  const missing = ['x', ...Array.from({ length: layers }, (_, l) => [`W_ih_l${l}`, `W_hh_l${l}`]).flat()];
  const absent = missing.filter((n) => !c.inputs[n]);
  if (absent.length) throw new Error(`${c.fn}: missing input ${absent.join(', ')}`);
  const batchFirst = Boolean(param(c, 'batch_first', false));
  const [d0, d1, inSize] = c.inputs.x.shape;
  const hidden = c.inputs.W_ih_l0.shape[0] / gates;
  return { T: batchFirst ? d1 : d0, b: batchFirst ? d0 : d1, inSize, hidden, layers, batchFirst };
}

function lstmCase(c: GoldenCase) {
  const p: LstmParams = sequenceShape(c, 4);
  const i = c.inputs;
  const x = {
    x: f32(i.x),
    h0: i.h0 ? f32(i.h0) : null,
    c0: i.c0 ? f32(i.c0) : null,
    weights: weights(c, (l) => `_l${l}`, p.layers),
  };
  validateLstm('lstm', p, x);
  return { p, x };
}

function elmanCase(c: GoldenCase) {
  const shape = sequenceShape(c, 1);
  const p: ElmanParams = { ...shape, nonlinearity: nonlinearity(c) };
  const layers = p.layers;
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
  lstm: {
    cpu: (c) => {
      const { p, x } = lstmCase(c);
      const r = lstmReference(p, x);
      return { output: r.output, h_n: r.hN, c_n: r.cN };
    },
    gpu: async (gpu, c) => {
      const { p, x } = lstmCase(c);
      const r = await lstmGpu(gpu, p, x);
      return { output: r.output, h_n: r.hN, c_n: r.cN };
    },
  },
};
