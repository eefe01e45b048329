// selectiveScanSegments: the fused selective scan with lanes on channels and rows of lanes on time
// segments, L scanned in parallel inside one dispatch (shaders/mamba/selectiveScanSegments.wgsl says why
// this shape). Same params, inputs and outputs as selectiveScanRow, plus two optional layout fields; where
// the kernel cannot run (selectiveScanRow's conditions: complex A, L or the C offset not a multiple of 4) it
// runs the chunked form and says so in its records. The CPU side is reference/mamba.ts. On the H200 it is
// slower than selectiveScanTile at every shape tried (BENCHMARKS.md, run H, with its profile); it stays as
// a tested form of the scan with L split inside the kernel, and as bench variants.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import type { SelectiveScanInputs, SelectiveScanOutputs, SelectiveScanParams } from '../../reference/mamba';
import type { Program, RunOptions } from '../program';
import { SCAN_SOURCES, type ScanBuffers, type ScanOutputBuffers, scanProgram } from './common';
import { rowUnfit } from './selectiveScanRow';
import { blockScanDispatch, runBlockScan } from './selectiveScanTile';

const LABEL = 'selectiveScanSegments';

/** The scan's params with the segments kernel's layout (`items`: steps a segment, 4, 8 or 16). */
export interface SegmentsScanParams extends SelectiveScanParams {
  /** Channels per workgroup CW: the lanes of a segment row. */
  channels?: number;
  /** Segments per chunk S: rows of CW lanes. */
  segments?: number;
  /** Load the next chunk's u and δ while this one is walked (default true; false is the bench's ablation). */
  prefetch?: boolean;
}

/** CW channels, S segments of ITEMS steps when params say nothing. */
export const SEGMENTS_DEFAULTS = { channels: 32, segments: 8, items: 8 };
/**
 * (channels CW, segments S, steps a segment) the bench times (engine/bench/scans.ts): the three fastest of
 * BENCHMARKS.md's run H (H200, L = 4K and 16K), 32 channels a warp row at 8 segments of 16 or 8 steps, and 16
 * channels at 16 segments of 8 (twice the lanes); all fit 48 KiB at N = 16.
 */
export const SEGMENTS_BENCH_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [32, 8, 16],
  [32, 8, 8],
  [16, 16, 8],
];

export interface SegmentsLayout {
  channels: number;
  segments: number;
  items: number;
  /** Steps per chunk: segments · items. */
  chunk: number;
  /** Groups of four states: ⌈N / 4⌉. */
  groups: number;
  /** Invocations per workgroup: channels · segments. */
  wg: number;
  /** Bytes of workgroup memory the kernel declares. */
  sharedBytes: number;
  prefetch: boolean;
  /** vec4 of each of B and C a lane stages a chunk. */
  staged: number;
}

/** Bytes of the WGSL's var<workgroup> arrays: sP, sX (2·WG vec4 each), sH (2·NG·CW), sB, sC (NG·CHUNK each). */
export function segmentsSharedBytes(
  channels: number,
  segments: number,
  groups: number,
  items: number,
): number {
  return 16 * (4 * channels * segments + 2 * groups * channels + 2 * groups * segments * items);
}

/** The WGSL's MAXT: the most vec4 of each of B and C one lane stages a chunk. */
const MAX_STAGED = 8;

/** The layout for params p on this device; throws where a size does not fit the kernel or the device. */
export function segmentsLayout(gpu: Gpu, p: SegmentsScanParams): SegmentsLayout {
  const channels = p.channels ?? SEGMENTS_DEFAULTS.channels;
  const segments = p.segments ?? SEGMENTS_DEFAULTS.segments;
  const items = p.items ?? SEGMENTS_DEFAULTS.items;
  if (![4, 8, 16].includes(items)) throw new EngineError(LABEL, `items must be 4, 8 or 16, got ${items}`);
  for (const [name, v] of [
    ['channels', channels],
    ['segments', segments],
  ] as const)
    if (!Number.isInteger(v) || v < 1)
      throw new EngineError(LABEL, `${name} must be a positive integer, got ${v}`);
  const wg = channels * segments;
  const max = Math.min(gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
  if (wg > max)
    throw new EngineError(
      LABEL,
      `${channels} channels × ${segments} segments exceed ${max} invocations a workgroup`,
    );
  const groups = Math.ceil(p.N / 4);
  const staged = Math.ceil((groups * segments * items) / wg);
  if (staged > MAX_STAGED)
    throw new EngineError(
      LABEL,
      `${channels} channels a workgroup would stage ${staged} vec4 of B and of C a lane at N=${p.N}, ${items} steps a segment (at most ${MAX_STAGED}): take more channels`,
    );
  const sharedBytes = segmentsSharedBytes(channels, segments, groups, items);
  const limit = gpu.limits.maxComputeWorkgroupStorageSize;
  if (sharedBytes > limit)
    throw new EngineError(
      LABEL,
      `${channels} channels × ${segments} segments at N=${p.N} need ${sharedBytes} B of workgroup memory, over ${limit}`,
    );
  return {
    channels,
    segments,
    items,
    chunk: segments * items,
    groups,
    wg,
    sharedBytes,
    prefetch: p.prefetch ?? true,
    staged,
  };
}

/** Why this device cannot hold p's layout, or null (the bench leaves such a variant out). */
export function segmentsUnfit(gpu: Gpu, p: SegmentsScanParams): string | null {
  try {
    segmentsLayout(gpu, p);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function selectiveScanSegmentsKernel(gpu: Gpu, l: SegmentsLayout): Promise<Kernel> {
  return kernel(gpu, {
    label: LABEL,
    sources: [...SCAN_SOURCES, 'mamba/scanBlocks.wgsl', 'mamba/selectiveScanSegments.wgsl'],
    constants: {
      CW: l.channels,
      S: l.segments,
      WG: l.wg,
      V: l.items / 4,
      NG: l.groups,
      CHUNK: l.chunk,
      ST: l.staged,
      PF: l.prefetch ? 1 : 0,
    },
  });
}

/** The scan's one dispatch on buffers it is given (rowUnfit(p) must be null). */
export async function selectiveScanSegmentsDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SegmentsScanParams,
  b: ScanBuffers & ScanOutputBuffers,
  l: SegmentsLayout = segmentsLayout(gpu, p),
): Promise<Dispatch> {
  return blockScanDispatch(gpu, scope, LABEL, p, b, await selectiveScanSegmentsKernel(gpu, l), l.channels);
}

/** Runs the segments kernel, or where it cannot run the chunked form at its own default layout. */
export async function selectiveScanSegmentsGpu(
  gpu: Gpu,
  p: SegmentsScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions = {},
) {
  const l = rowUnfit(p) ? undefined : segmentsLayout(gpu, p); // a layout the device refuses throws before any upload
  return runBlockScan(gpu, LABEL, p, x, opts, (scope, b) =>
    selectiveScanSegmentsDispatch(gpu, scope, p, b, l),
  );
}

export const selectiveScanSegmentsProgram: Program<
  SegmentsScanParams,
  SelectiveScanInputs,
  SelectiveScanOutputs
> = scanProgram(
  LABEL,
  'Selective scan, fused, lanes on channels and rows of lanes on time segments: L scanned in parallel in one pass',
  selectiveScanSegmentsGpu,
);
