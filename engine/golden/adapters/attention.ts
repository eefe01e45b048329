// Golden adapters for the attention family: golden case -> program inputs -> outputs, on both backends.
// softmax_attention runs on the GPU through the naive (materialised S, P) program; flash_attention_tiled
// through the FlashAttention-2 kernel with the case's Br and Bc.

import { flashAttentionGpu } from '../../programs/attention/flashAttention';
import { naiveAttentionGpu } from '../../programs/attention/naiveAttention';
import type { AttentionInputs, AttentionParams } from '../../programs/attention/common';
import {
  type AttnShape,
  flashAttentionTiled,
  resolveScale,
  softmaxAttention,
} from '../../reference/attention';
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
      const Br = Number(param(c, 'Br', 64));
      const Bc = Number(param(c, 'Bc', 64));
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
      const p = { ...paramsOf(c), Br: Number(param(c, 'Br', 64)), Bc: Number(param(c, 'Bc', 64)) };
      return (await flashAttentionGpu(gpu, p, inputsOf(c))).outputs;
    },
  },
};
