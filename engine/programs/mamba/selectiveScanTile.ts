// selectiveScanTile: the fused selective scan with lanes on (channel, W states), K channels per workgroup
// sharing one staged B/C tile, each lane running its states' recurrence down L in registers
// (shaders/mamba/selectiveScanTile.wgsl says why this shape). Same params, inputs and outputs as
// selectiveScanRow, plus two optional layout fields; where the kernel cannot run (complex A, L or the C
// offset not a multiple of 4: selectiveScanRow's conditions) it runs the chunked form and says so in its
// records.
// The CPU side is reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import type { SelectiveScanInputs, SelectiveScanOutputs, SelectiveScanParams } from '../../reference/mamba';
import type { Program, RunOptions } from '../program';
import {
  SCAN_SOURCES,
  type ScanBuffers,
  type ScanOutputBuffers,
  runScan,
  scanParams,
  scanProgram,
} from './common';
import { selectiveScanChunkedGpu } from './selectiveScanChunked';
import { rowUnfit } from './selectiveScanRow';

const LABEL = 'selectiveScanTile';

/** The scan's params with the tile kernel's layout: `chunk` is the steps per tile T. */
export interface TileScanParams extends SelectiveScanParams {
  /** Channels per workgroup K (1 to the device's limit over the lanes a channel). */
  channels?: number;
  /** States per lane W: 4 (vec4) or 2 (vec2, twice the lanes). */
  width?: 2 | 4;
}

/** K channels, T steps, W states a lane when params say nothing (H200: the bench's variants decide). */
export const TILE_DEFAULTS = { channels: 16, steps: 32, width: 4 as 2 | 4 };
/**
 * (channels per workgroup K, steps per tile T, states per lane W) the bench times (engine/bench/scans.ts):
 * the default; fewer channels (twice the workgroups, each staging B/C for 8); a longer tile (more loads in
 * flight a lane); two states a lane (twice the lanes, for latency: at D=4096, N=16 four states a lane
 * leave one warp per scheduler). Each fits SwiftShader's 32 KiB of workgroup memory. On the H200 the longer
 * tile (26 KiB) runs at half speed: an SM holds about 48 KiB of workgroup memory in all, so one such
 * workgroup an SM instead of two (BENCHMARKS.md, run J3).
 */
export const TILE_BENCH_SHAPES: ReadonlyArray<readonly [number, number, 2 | 4]> = [
  [16, 32, 4],
  [8, 32, 4],
  [16, 48, 4],
  [16, 32, 2],
];
/** Prefetch slots a lane holds per staged tensor (MAXR in the WGSL). */
const MAX_SLOTS = 8;

export interface TileLayout {
  /** Channels per workgroup K. */
  channels: number;
  /** Steps per tile T. */
  steps: number;
  /** States per lane W. */
  width: 2 | 4;
  /** Lanes per channel NL = ⌈N / W⌉. */
  lanes: number;
  /** Invocations per workgroup K · NL. */
  wg: number;
  /** Bytes of workgroup memory the kernel declares. */
  sharedBytes: number;
}

/** Bytes of the WGSL's var<workgroup> arrays: sU, sDl (K·TP vec4), sB, sC (T·NL SV), sY (WG·TP vec4). */
export function tileSharedBytes(K: number, T: number, NL: number, W: number): number {
  const TP = T / 4 + 1;
  return 4 * (2 * 4 * K * TP + 2 * W * T * NL + 4 * K * NL * TP);
}

/** The layout for params p on this device; throws where a size does not fit the kernel or the device. */
export function tileLayout(gpu: Gpu, p: TileScanParams): TileLayout {
  const K = p.channels ?? TILE_DEFAULTS.channels;
  const T = p.chunk ?? TILE_DEFAULTS.steps;
  const W = p.width ?? TILE_DEFAULTS.width;
  if (W !== 2 && W !== 4) throw new EngineError(LABEL, `width must be 2 or 4 states a lane, got ${W}`);
  const NL = Math.ceil(p.N / W);
  const wg = K * NL;
  const max = Math.min(gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
  if (!Number.isInteger(K) || K < 1 || wg > max)
    throw new EngineError(LABEL, `${K} channels × ${NL} lanes exceed ${max} invocations a workgroup`);
  if (!Number.isInteger(T) || T < 4 || T % 4 !== 0)
    throw new EngineError(LABEL, `steps per tile must be a positive multiple of 4, got ${T}`);
  // Slots a lane prefetches: u/δ/z K·T/4 vec4s, B/C NL·W·T/4 vec4s, each over K·NL lanes.
  const slots = Math.max(Math.ceil(T / 4 / NL), Math.ceil((W * T) / 4 / K));
  if (slots > MAX_SLOTS)
    throw new EngineError(
      LABEL,
      `T=${T} with K=${K}, W=${W} needs ${slots} prefetch slots a lane, over ${MAX_SLOTS}`,
    );
  const sharedBytes = tileSharedBytes(K, T, NL, W);
  const limit = gpu.limits.maxComputeWorkgroupStorageSize;
  if (sharedBytes > limit)
    throw new EngineError(LABEL, `K=${K}, T=${T} need ${sharedBytes} B of workgroup memory, over ${limit}`);
  return { channels: K, steps: T, width: W, lanes: NL, wg, sharedBytes };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Workgroups for params p and K channels each: per batch, blocks of q channels sharing a B group and a C
 * group (fixed B or C puts no bound), ⌈q / K⌉ workgroups a block. The WGSL's workgroupsWanted, mirrored.
 */
export function tileWorkgroups(p: SelectiveScanParams, K: number): number {
  const per = (groups: number) => (groups === 0 ? p.D : p.D / groups);
  const q = gcd(per(p.bGroups), per(p.cGroups));
  return p.batch * (p.D / q) * Math.ceil(q / K);
}

export function selectiveScanTileKernel(gpu: Gpu, l: TileLayout): Promise<Kernel> {
  return kernel(gpu, {
    label: LABEL,
    sources: [...SCAN_SOURCES, 'mamba/scanBlocks.wgsl', 'mamba/selectiveScanTile.wgsl'],
    prelude: `const W: u32 = ${l.width}u;\nalias SV = vec${l.width}<f32>;\n`,
    constants: { K: l.channels, NL: l.lanes, T: l.steps, WG: l.wg },
  });
}

/**
 * The one dispatch of a kernel over scanBlocks.wgsl's workgroups of `channels` channels that binds the vec4
 * views of seq, bc and out (bindings 4 to 7, as selectiveScanTile.wgsl and selectiveScanSegments.wgsl do);
 * rowUnfit(p) must be null.
 */
export function blockScanDispatch(
  gpu: Gpu,
  scope: BufferScope,
  label: string,
  p: SelectiveScanParams,
  b: ScanBuffers & ScanOutputBuffers,
  k: Kernel,
  channels: number,
): Dispatch {
  const why = rowUnfit(p);
  if (why) throw new EngineError(label, `the ${label} kernel cannot run this scan: ${why}`);
  const params = uniformFor(scope, k, scanParams(p, b.z)).buffer;
  const { seq, bc, chan, out, lastState } = b;
  return {
    kernel: k,
    bindings: { p: params, seq, bc, chan, seq4: seq, bc4: bc, out4: out, lastState },
    workgroups: gridFor(gpu, label, tileWorkgroups(p, channels)).workgroups,
  };
}

/** Runs a one-dispatch scan, or where rowUnfit(p) says it cannot run, the chunked form at its own layout. */
export function runBlockScan(
  gpu: Gpu,
  label: string,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions,
  dispatch: (scope: BufferScope, b: ScanBuffers & ScanOutputBuffers) => Promise<Dispatch>,
) {
  if (rowUnfit(p)) return selectiveScanChunkedGpu(gpu, { ...p, chunk: undefined, items: undefined }, x, opts);
  return runScan(gpu, label, p, x, opts.time, dispatch);
}

/** The scan's one dispatch on buffers it is given (rowUnfit(p) must be null). */
export async function selectiveScanTileDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: TileScanParams,
  b: ScanBuffers & ScanOutputBuffers,
  l: TileLayout = tileLayout(gpu, p),
): Promise<Dispatch> {
  return blockScanDispatch(gpu, scope, LABEL, p, b, await selectiveScanTileKernel(gpu, l), l.channels);
}

/** Runs the tile kernel, or where it cannot run the chunked form at its own default layout. */
export async function selectiveScanTileGpu(
  gpu: Gpu,
  p: TileScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions = {},
) {
  const l = rowUnfit(p) ? undefined : tileLayout(gpu, p); // a layout the device refuses throws before any upload
  return runBlockScan(gpu, LABEL, p, x, opts, (scope, b) => selectiveScanTileDispatch(gpu, scope, p, b, l));
}

export const selectiveScanTileProgram: Program<TileScanParams, SelectiveScanInputs, SelectiveScanOutputs> =
  scanProgram(
    LABEL,
    'Selective scan, fused, lanes on (channel, states): K channels a workgroup share one staged B/C tile',
    selectiveScanTileGpu,
  );
