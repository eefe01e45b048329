// Softmax attention benchmarks: the naive kernels (S and P in storage) against FlashAttention-2's tiles,
// FlashAttention-2's backward pass beside its forward, and FlashAttention decoding (one query, a long KV
// cache) with 1, 16 and 64 splits.

import { attentionBackwardProgram } from '../engine/programs/attention/attentionBackward';
import { flashAttentionProgram } from '../engine/programs/attention/flashAttention';
import { flashAttentionBackwardProgram } from '../engine/programs/attention/flashAttentionBackward';
import { flashDecodingProgram } from '../engine/programs/attention/flashDecoding';
import { naiveAttentionProgram } from '../engine/programs/attention/naiveAttention';
import { type Comparison, entry } from './harness';

export function attentionComparisons(real: boolean): Comparison[] {
  const L = real ? 4096 : 256;
  const shape = { b: 1, sq: L, sk: L, h: real ? 32 : 4, hk: real ? 8 : 2, d: 64, causal: true };
  const x = () => naiveAttentionProgram.makeInputs(shape, 1);
  const xb = () => flashAttentionBackwardProgram.makeInputs({ ...shape, Br: 64, Bc: 64 }, 1);
  // Causal attention: QK^T and PV over the lower triangle, 2 flops per multiply-add.
  const flops = 4 * shape.b * shape.h * shape.d * ((L * (L + 1)) / 2);
  const dec = { b: 1, sq: 1, sk: real ? 16384 : 2048, h: 32, hk: 8, d: 64, causal: false };
  const xd = () => flashDecodingProgram.makeInputs({ ...dec, splits: 1 }, 2);
  const kvBytes = 2 * dec.b * dec.sk * dec.hk * dec.d * 4;
  return [
    {
      title: 'Attention forward: naive (S, P in storage) vs FlashAttention-2',
      size: `b=1 h=${shape.h} h_k=${shape.hk} L=${L} d=64 causal`,
      entries: [
        entry('naive (materialises S and P)', naiveAttentionProgram, shape, x, { flops }),
        entry(
          'FlashAttention-2 (Br=Bc=64 requested)',
          flashAttentionProgram,
          { ...shape, Br: 64, Bc: 64 },
          x,
          {
            flops,
          },
        ),
      ],
    },
    {
      // The backward programs run the forward first (out and lse), then delta, dK/dV and dQ: useful work is
      // the forward's 2 matrix products plus the backward's 5 (FA2's accounting), 3.5x the forward's flops.
      title: 'Attention backward beside the forward (backward runs include their forward)',
      size: `b=1 h=${shape.h} h_k=${shape.hk} L=${L} d=64 causal`,
      entries: [
        entry('FlashAttention-2 forward', flashAttentionProgram, { ...shape, Br: 64, Bc: 64 }, xb, { flops }),
        entry(
          'FlashAttention-2 forward + backward',
          flashAttentionBackwardProgram,
          { ...shape, Br: 64, Bc: 64 },
          xb,
          {
            flops: 3.5 * flops,
          },
        ),
        entry('plain forward + backward (P, dS per row)', attentionBackwardProgram, shape, xb, {
          flops: 3.5 * flops,
        }),
      ],
    },
    {
      title: 'Decoding: one query against a long KV cache',
      size: `h=32 h_k=8 sk=${dec.sk} d=64`,
      entries: [
        entry('1 split (one workgroup per head)', flashDecodingProgram, { ...dec, splits: 1 }, xd, {
          bytes: kvBytes,
        }),
        entry('16 splits + merge', flashDecodingProgram, { ...dec, splits: 16 }, xd, { bytes: kvBytes }),
        entry('64 splits + merge', flashDecodingProgram, { ...dec, splits: 64 }, xd, { bytes: kvBytes }),
      ],
    },
  ];
}
