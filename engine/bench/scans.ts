// Recurrences against their parallel forms over L (batch 1, f32): linear attention as a recurrence (state in
// workgroup memory) and chunked; the Mamba-1 selective scan as one invocation per channel walking L and as
// the fused scans: chunked (chained carries, one dispatch) and one workgroup per channel (the row kernel).

import { linearAttentionChunkedProgram } from '../programs/linearAttention/linearAttentionChunked';
import { linearAttentionRecurrentProgram } from '../programs/linearAttention/linearAttentionRecurrent';
import { selectiveScanChunkedProgram } from '../programs/mamba/selectiveScanChunked';
import { selectiveScanRowProgram } from '../programs/mamba/selectiveScanRow';
import {
  SEGMENTS_BENCH_SHAPES,
  type SegmentsScanParams,
  segmentsUnfit,
  selectiveScanSegmentsProgram,
} from '../programs/mamba/selectiveScanSegments';
import { selectiveScanSequentialProgram } from '../programs/mamba/selectiveScanSequential';
import { SPLIT_BENCH_SHAPES, selectiveScanSplitProgram, splitAt } from '../programs/mamba/selectiveScanSplit';
import { TILE_BENCH_SHAPES, selectiveScanTileProgram } from '../programs/mamba/selectiveScanTile';
import { scanError } from './accuracy';
import { type Algorithm, F32, inputsAt, programVariant } from './harness';
import type { Sizes } from './sizes';

/** (invocations per workgroup, steps per invocation) of the row scan's variants. */
const ROW_SHAPES: Array<[number, number]> = [
  [64, 8],
  [128, 4],
  [128, 8],
  [128, 16],
  [256, 4],
  [256, 8],
];

export function scanAlgorithms(s: Sizes): Algorithm[] {
  const { H, K, V, chunk: C } = s.linear;
  const la = (L: number) => ({ B: 1, T: L, H, K, V });
  const laX = (L: number) =>
    inputsAt('linear', (n) => linearAttentionRecurrentProgram.makeInputs(la(n), 4), L, s.Ls[0]);
  // q, k (L·H·K each) and v (L·H·V) read once; o (L·H·V) and the final state (H·K·V) written once.
  const linear = {
    family: 'linear attention',
    shape: `B=1 H=${H} K=V=${K}`,
    trafficFormula: '4·(2·L·H·K + 2·L·H·V + H·K·V) B',
    traffic: (L: number) => F32 * (2 * L * H * K + 2 * L * H * V + H * K * V),
    largest: (L: number) => F32 * L * H * Math.max(K, V),
  };
  const { D, N } = s.scan;
  const sp = (L: number) => ({
    batch: 1,
    D,
    L,
    N,
    complex: false,
    bGroups: 1,
    cGroups: 1,
    deltaSoftplus: true,
  });
  const scanX = (L: number) =>
    inputsAt('scan', (n) => selectiveScanChunkedProgram.makeInputs(sp(n), 3), L, s.Ls[0]);
  // u, δ, z (D·L each) read and y (D·L) written; B, C (N·L each, one group) read; A (D·N) read and the
  // last state (D·N) written; D and the δ bias (D each) read. Per (channel, step, state): exp(δ·A) (2),
  // δu·B (1, δu made once per step), h = dA·h + δuB (2), y += C·h (2): 7 FLOP, exp counted as one; per
  // (channel, step): δu, softplus(δ + bias), D·u + y, y·silu(z): about 10.
  const scan = {
    family: 'selective scan',
    shape: `batch=1 D=${D} N=${N}, real A, B and C one group, softplus δ, z gate`,
    trafficFormula: '4·(4·D·L + 2·N·L + 2·D·N + 2·D) B',
    flopsFormula: '7·D·L·N + 10·D·L',
    traffic: (L: number) => F32 * (4 * D * L + 2 * N * L + 2 * D * N + 2 * D),
    flops: (L: number) => 7 * D * L * N + 10 * D * L,
    // u | δ | z travel packed in one buffer.
    largest: (L: number) => F32 * 3 * D * L,
  };
  return [
    {
      id: 'laRecurrent',
      label: 'linear attention, recurrent',
      ...linear,
      // Per step and head: S += k vᵀ and o = Sᵀq, 2·K·V FLOP each.
      flopsFormula: '4·L·H·K·V',
      flops: (L) => 4 * L * H * K * V,
      variants: (L) => [programVariant(linearAttentionRecurrentProgram, la(L), laX(L))],
    },
    {
      id: 'laChunked',
      label: `linear attention, chunked (C=${C})`,
      ...linear,
      // Per chunk and head: Q·S_before (2·C·K·V), the chunk state Kᵀ·V (2·C·K·V), and over the causal
      // half of the chunk QKᵀ (2·K) and its product with V (2·V) for C(C+1)/2 pairs: per token
      // 4·K·V + (C+1)·(K+V).
      flopsFormula: 'L·H·(4·K·V + (C+1)·(K+V))',
      flops: (L) => L * H * (4 * K * V + (C + 1) * (K + V)),
      variants: (L) => [
        programVariant(linearAttentionChunkedProgram, { ...la(L), chunk: C }, laX(L), { chunk: C }),
      ],
    },
    {
      id: 'scanSequential',
      label: 'Mamba-1 scan, sequential',
      ...scan,
      variants: (L) => [
        programVariant(selectiveScanSequentialProgram, sp(L), scanX(L), {}, scanError(sp(L))),
      ],
    },
    {
      id: 'scanFused',
      label: 'Mamba-1 scan, fused',
      ...scan,
      // The chunked scan with chained carries, the row kernel (one workgroup per channel) at a few
      // workgroup sizes and steps per invocation, and the tile kernel (lanes on channel and states, K
      // channels a workgroup) at a few shapes, and the split kernels (L in S chunks: chunk states, carry,
      // output pass; S from L and the lanes each shape aims at) at a few, and the segments kernel (CW
      // channels × S time segments of I steps a workgroup, L scanned in parallel in one pass) at a few; the
      // fastest is reported.
      variants: (L) => [
        programVariant(
          selectiveScanChunkedProgram,
          { ...sp(L), carry: 'chained' },
          scanX(L),
          { carry: 'chained' },
          scanError(sp(L)),
        ),
        ...ROW_SHAPES.map(([wg, items]) =>
          programVariant(
            selectiveScanRowProgram,
            { ...sp(L), chunk: wg * items, items },
            scanX(L),
            { form: 'row', wg, items },
            scanError(sp(L)),
          ),
        ),
        ...TILE_BENCH_SHAPES.map(([channels, steps, width]) =>
          programVariant(
            selectiveScanTileProgram,
            { ...sp(L), channels, chunk: steps, width },
            scanX(L),
            { form: 'tile', K: channels, T: steps, W: width },
            scanError(sp(L)),
          ),
        ),
        ...SPLIT_BENCH_SHAPES.map((shape) => {
          const at = splitAt(sp(L), shape);
          const { channels: K, steps: T, width: W, soft } = shape;
          const shown = { form: 'split', K, T, W, S: at.split ?? 1, soft };
          return programVariant(selectiveScanSplitProgram, at, scanX(L), shown, scanError(sp(L)));
        }),
        // The segments kernel at each of its shapes that the device holds.
        ...SEGMENTS_BENCH_SHAPES.map(([CW, S, I]) => {
          const at: SegmentsScanParams = { ...sp(L), channels: CW, segments: S, items: I };
          const shown = { form: 'segments', CW, S, I };
          return programVariant(selectiveScanSegmentsProgram, at, scanX(L), shown, scanError(sp(L)), (gpu) =>
            segmentsUnfit(gpu, at),
          );
        }),
      ],
    },
  ];
}
