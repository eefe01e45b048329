// Golden adapters for the attention family: golden case -> program inputs -> outputs, on both backends.
// softmax_attention runs on the GPU through the naive (materialised S, P) program; flash_attention_tiled
// through the FlashAttention-2 kernel with the case's Br and Bc. attention_backward runs the plain GPU
// backward (P and dS materialised per row), attention_backward_tiled FlashAttention-2's backward with the
// case's Br and Bc where the tiles fit the workgroup budget (halved where they do not).

import { attentionBackwardGpu } from '../../programs/attention/attentionBackward';
import type { AttentionBackwardInputs } from '../../programs/attention/backwardCommon';
import { flashAttentionGpu } from '../../programs/attention/flashAttention';
import { flashAttentionBackwardGpu } from '../../programs/attention/flashAttentionBackward';
import { naiveAttentionGpu } from '../../programs/attention/naiveAttention';
import type { AttentionInputs, AttentionParams } from '../../programs/attention/common';
import {
  type AttnShape,
  flashAttentionTiled,
  resolveScale,
  softmaxAttention,
} from '../../reference/attention';
import { attentionBackward, attentionBackwardTiled } from '../../reference/attentionBackward';
import type { GoldenAdapter, GoldenCase } from '../format';
import { f32, param } from '../format';

/** Shapes from the arrays: q (b,sq,h,d), k (b,sk,h_k,d). */
function shapeOf(c: GoldenCase): AttnShape {
  const [b, sq, h, d] = c.inputs.q.shape;
  const [, sk, hk] = c.inputs.k.shape;
  return { b, sq, sk, h, hk, d };
}

function paramsOf(c: GoldenCase): AttentionParams {
  const s = shapeOf(c);
  const scale = param<number | null>(c, 'softmax_scale', null);
  return { ...s, causal: Boolean(param(c, 'causal', false)), scale: resolveScale(s.d, scale) };
}

function inputsOf(c: GoldenCase): AttentionInputs {
  return { q: f32(c.inputs.q), k: f32(c.inputs.k), v: f32(c.inputs.v) };
}

/** The backward's q, k, v, dout (float64), with dout required and shaped like q. */
function backwardCase(c: GoldenCase) {
  const { q, k, v, dout } = c.inputs;
  if (!dout)
    throw new Error(`${c.fn}: missing input dout (the case has ${Object.keys(c.inputs).join(', ')})`);
  if (dout.shape.join(',') !== q.shape.join(','))
    throw new Error(`${c.fn}: dout has shape (${dout.shape}), want q's (${q.shape})`);
  return { q: q.data, k: k.data, v: v.data, dout: dout.data };
}

function backwardInputsOf(c: GoldenCase): AttentionBackwardInputs {
  backwardCase(c);
  return { ...inputsOf(c), dout: f32(c.inputs.dout) };
}

const tilesOf = (c: GoldenCase) => ({ Br: Number(param(c, 'Br', 64)), Bc: Number(param(c, 'Bc', 64)) });

export const attentionAdapters: Record<string, GoldenAdapter> = {
  softmax_attention: {
    cpu: (c) => {
      const p = paramsOf(c);
      return softmaxAttention(c.inputs.q.data, c.inputs.k.data, c.inputs.v.data, p, p.causal, p.scale);
    },
    gpu: async (gpu, c) => (await naiveAttentionGpu(gpu, paramsOf(c), inputsOf(c))).outputs,
  },
  flash_attention_tiled: {
    cpu: (c) => {
      const p = paramsOf(c);
      const { Br, Bc } = tilesOf(c);
      return flashAttentionTiled(
        c.inputs.q.data,
        c.inputs.k.data,
        c.inputs.v.data,
        p,
        Br,
        Bc,
        p.causal,
        p.scale,
      );
    },
    gpu: async (gpu, c) => {
      const p = { ...paramsOf(c), ...tilesOf(c) };
      return (await flashAttentionGpu(gpu, p, inputsOf(c))).outputs;
    },
  },
  attention_backward: {
    cpu: (c) => {
      const p = paramsOf(c);
      const x = backwardCase(c);
      return { ...attentionBackward(x.q, x.k, x.v, x.dout, p, p.causal, p.scale) };
    },
    gpu: async (gpu, c) => (await attentionBackwardGpu(gpu, paramsOf(c), backwardInputsOf(c))).outputs,
  },
  attention_backward_tiled: {
    cpu: (c) => {
      const p = paramsOf(c);
      const { Br, Bc } = tilesOf(c);
      const x = backwardCase(c);
      return { ...attentionBackwardTiled(x.q, x.k, x.v, x.dout, p, Br, Bc, p.causal, p.scale) };
    },
    gpu: async (gpu, c) => {
      const p = { ...paramsOf(c), ...tilesOf(c) };
      return (await flashAttentionBackwardGpu(gpu, p, backwardInputsOf(c))).outputs;
    },
  },
};
