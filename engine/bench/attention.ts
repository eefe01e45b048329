// Softmax attention over L (batch 1, causal, f32): the naive kernels (S and P in storage) against
// FlashAttention-2's tiles; decoding one query against a KV cache of length L with one split (one workgroup
// per head, as FlashAttention runs it) and with Flash-Decoding's splits (the teaching kernel's split counts
// and flashDecodingFast's shapes, the latter checked like FA2's); FlashAttention-2's backward pass
// and the plain one (P and dS rows in storage), each run after its forward; FlashAttention-2 on the matrix
// units (f16 in, f32 accumulation) where the adapter has them. The FlashAttention-2 rows check their first
// run against the float64 reference on sampled query rows (attentionError), and a variant whose error
// passes its program's tolerance is not timed.

import { attentionBackwardProgram } from '../programs/attention/attentionBackward';
import { flashAttentionProgram } from '../programs/attention/flashAttention';
import { flashAttentionBackwardProgram } from '../programs/attention/flashAttentionBackward';
import {
  flashAttentionFastProgram,
  fastVariantLabel,
  flashAttentionFastVariants,
} from '../programs/attention/flashAttentionFast';
import { matrixUnfit } from '../gpu/matrix';
import { flashAttentionMatrixProgram } from '../programs/attention/flashAttentionMatrix';
import { defaultSplits, flashDecodingProgram } from '../programs/attention/flashDecoding';
import { flashDecodingFastProgram, flashDecodingFastVariants } from '../programs/attention/flashDecodingFast';
import { decodingFastPlanFor } from '../programs/attention/flashDecodingFastPlan';
import { naiveAttentionProgram } from '../programs/attention/naiveAttention';
import { attentionError } from './accuracy';
import { type Algorithm, F32, inputsAt, planRefusal, programVariant } from './harness';
import type { Sizes } from './sizes';

/** FlashAttention-2's tile requests (Br × Bc). */
const FA2_TILES: Array<[number, number]> = [
  [16, 16],
  [64, 32],
];

/** The matrix-unit kernel's tiles tried: 4 subgroups × 64 keys (its default) and 4 × 32. */
const MATRIX_TILES = [
  { SG: 4, BC: 64 },
  { SG: 4, BC: 32 },
];

export function attentionAlgorithms(s: Sizes): Algorithm[] {
  const { h, hk, d } = s.attention;
  const shape = (L: number) => ({ b: 1, sq: L, sk: L, h, hk, d, causal: true });
  const tiles = (L: number) => ({ ...shape(L), Br: 64, Bc: 64 });
  const base = s.Ls[0];
  const fwdX = (L: number) =>
    inputsAt('attention', (n) => naiveAttentionProgram.makeInputs(shape(n), 1), L, base);
  const bwdX = (L: number) =>
    inputsAt('attention.backward', (n) => flashAttentionBackwardProgram.makeInputs(tiles(n), 1), L, base);
  const sizes = `b=1 h=${h} h_k=${hk} d=${d} causal`;

  // io·L·h·d + io·L·h_k·d + h·L values of traffic and c·h·d·L(L+1) FLOP: see the two uses below.
  const costs = (family: string, io: number, c: number) => ({
    family,
    shape: sizes,
    trafficFormula: `4·(${io}·L·h·d + ${io}·L·h_k·d + h·L) B`,
    flopsFormula: `${c}·h·d·L·(L+1)`,
    traffic: (L: number) => F32 * (io * L * h * d + io * L * hk * d + h * L),
    flops: (L: number) => c * h * d * L * (L + 1),
    largest: (L: number) => F32 * L * h * d,
  });
  // Forward: Q (L·h·d) and K, V (L·h_k·d each) read once, O (L·h·d) and lse (h·L) written once.
  // QKᵀ and PV cost 2·d FLOP each per (query, visible key) pair; causal row i sees i + 1 keys, so a head
  // has L(L+1)/2 pairs: 2 · 2d · L(L+1)/2 = 2·d·L(L+1) per head.
  const fwd = costs('attention', 2, 2);
  // Forward + backward: Q, dO, K, V read; O, lse, dQ, dK, dV written (dK, dV per kv head). FLOPs in
  // FlashAttention-2's accounting: the forward's 2 products and the backward's 5 (S again, dV = PᵀdO,
  // dP = dO·Vᵀ, dQ = dS·K, dK = dSᵀ·Q), each d·L(L+1) per head over the causal half.
  const bwd = costs('attention backward', 4, 7);
  // Decoding one query against L cached keys: K, V (L·h_k·d each) read once dominate; q, o (h·d) and lse
  // (h). QKᵀ and PV: 2·d FLOP each per key and head. With `fast`, flashDecodingFast's shapes join the
  // teaching kernel's split counts, each checked against the float64 reference on its first run.
  const dec = (splits: (L: number) => number[], fast = false) => ({
    family: 'decoding',
    shape: `b=1 one query, h=${h} h_k=${hk} d=${d}, KV cache of length L`,
    trafficFormula: '4·(2·L·h_k·d + 2·h·d + h) B',
    flopsFormula: '4·h·d·L',
    traffic: (L: number) => F32 * (2 * L * hk * d + 2 * h * d + h),
    flops: (L: number) => 4 * h * d * L,
    largest: (L: number) => F32 * L * hk * d,
    variants: (L: number) => {
      const p = { b: 1, sq: 1, sk: L, h, hk, d, causal: false };
      const x = inputsAt(
        'decoding',
        (n) => flashDecodingProgram.makeInputs({ ...p, sk: n, splits: 1 }, 2),
        L,
        base,
      );
      return [
        ...splits(L).map((n) => programVariant(flashDecodingProgram, { ...p, splits: n }, x, { splits: n })),
        ...(fast ? flashDecodingFastVariants(p) : []).map((f) =>
          programVariant(
            flashDecodingFastProgram,
            f,
            x,
            {
              kernel: f.kernel === 'warps' ? 'fast-warps' : 'fast',
              splits: f.splits,
              ...{ wg: f.wg, kpt: f.kpt, lpk: f.lpk, earlyV: f.earlyV ? 1 : 0, fuse: f.fuse ? 1 : 0 },
            },
            attentionError(p),
            // Left out where the device cannot run the shape (the warps kernel needs one subgroup size).
            (gpu) => planRefusal(() => decodingFastPlanFor(gpu, f)),
          ),
        ),
      ];
    },
  });
  return [
    {
      id: 'naive',
      label: 'naive attention (S, P in memory)',
      ...fwd,
      variants: (L) => [programVariant(naiveAttentionProgram, shape(L), fwdX(L))],
    },
    {
      id: 'fa2',
      label: 'FlashAttention-2 (causal)',
      ...fwd,
      // Tiles asked for; each shrinks to the device's workgroup memory, and the fastest is reported (on the
      // H200, 16×16 beat 32×32 and 64×32: BENCHMARKS.md).
      // The teaching kernel (the one the stages trace) and the register-tiled one (flashAttentionFast), f32.
      variants: (L) => [
        ...FA2_TILES.map(([Br, Bc]) =>
          programVariant(
            flashAttentionProgram,
            { ...shape(L), Br, Bc },
            fwdX(L),
            { kernel: 'teaching', Br, Bc },
            attentionError(shape(L)),
          ),
        ),
        ...flashAttentionFastVariants(shape(L)).map((p) =>
          programVariant(
            flashAttentionFastProgram,
            p,
            fwdX(L),
            { kernel: 'registerTiled', ...fastVariantLabel(p) },
            attentionError(shape(L)),
          ),
        ),
      ],
    },
    {
      id: 'fa2Matrix',
      label: 'FlashAttention-2 on the matrix units (f16 in, f32 accumulation)',
      ...fwd,
      skip: (_L, gpu) => matrixUnfit(gpu),
      variants: (L) =>
        MATRIX_TILES.map((tiles) =>
          programVariant(
            flashAttentionMatrixProgram,
            { ...shape(L), tiles },
            fwdX(L),
            tiles,
            attentionError(shape(L)),
          ),
        ),
    },
    { id: 'decode1', label: 'decoding, 1 split (FlashAttention)', ...dec(() => [1]) },
    // The engine's own split count (about 64 keys a split, at most 128), half and twice it: at least 2, so
    // it is split-KV, and at most L.
    {
      id: 'flashDecoding',
      label: 'Flash-Decoding',
      ...dec(
        (L) => [
          ...new Set([0.5, 1, 2].map((f) => Math.min(L, Math.max(2, Math.round(f * defaultSplits(L)))))),
        ],
        true,
      ),
    },
    {
      id: 'fa2Backward',
      label: 'FlashAttention-2 forward + backward',
      ...bwd,
      variants: (L) => [programVariant(flashAttentionBackwardProgram, tiles(L), bwdX(L), { Br: 64, Bc: 64 })],
    },
    {
      id: 'plainBackward',
      label: 'plain forward + backward (P, dS rows)',
      ...bwd,
      variants: (L) => [programVariant(attentionBackwardProgram, shape(L), bwdX(L))],
    },
  ];
}
