// selectiveScanSplit: the fused selective scan split along L into S chunks for S times the lanes of the
// tile kernel (shaders/mamba/selectiveScanSplit.wgsl says why), in three dispatches of one submission:
// the chunk-state pass (each chunk's end state from h = 0, and its Σδ'), the carry (chunk start states, in
// series over S per (channel, state)), the output pass (each chunk again from its true start, y written
// once). Same params, inputs and outputs as selectiveScanTile, plus the split and the software-exp2 states;
// where the kernels cannot run (complex A, L or the C offset not a multiple of 4: selectiveScanRow's
// conditions) it runs the chunked form and says so in its records. The CPU side is reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import { runAndRead } from '../../gpu/run';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import type { SelectiveScanInputs, SelectiveScanOutputs } from '../../reference/mamba';
import type { Program, RunOptions } from '../program';
import {
  SCAN_SOURCES,
  type ScanBuffers,
  type ScanOutputBuffers,
  packScan,
  scanParams,
  scanProgram,
  scanRows,
  stateLength,
} from './common';
import { selectiveScanChunkedGpu } from './selectiveScanChunked';
import { rowUnfit } from './selectiveScanRow';
import { type TileLayout, type TileScanParams, tileLayout, tileWorkgroups } from './selectiveScanTile';

const LABEL = 'selectiveScanSplit';

export interface SplitScanParams extends TileScanParams {
  /** Chunks S along L (at most L / 64 of them); absent: enough for SPLIT_LANES lanes (splitChunks). */
  split?: number;
  /** States a lane whose exp2 runs on the FMA units in the chunk-state pass (0 to W; the rest on the SFU). */
  soft?: number;
  /** The same in the output pass. */
  softOut?: number;
}

/**
 * Lanes the chunk passes aim for where params give no split: an H200 holds 132 SMs × 2048 = 270K resident
 * invocations at best (about 1,000 at 64 registers a lane), so 2^19 is two full waves or four of 32 warps an
 * SM: 8 warps a scheduler to hide the SFU's, the shared tile's and DRAM's latencies, and whole waves to
 * spare for the tail. At D=4096, N=16, W=4 that is S=32 chunks (Q=128 at L=4K, 512 at 16K).
 */
export const SPLIT_LANES = 2 ** 19;
/** The shortest chunk the default split makes: below it the per-chunk start and end cost more than the steps. */
export const SPLIT_MIN_STEPS = 64;
/** (K channels a workgroup, T steps a tile, W states a lane) when params say nothing. */
export const SPLIT_DEFAULTS = { channels: 16, steps: 16, width: 4 as 2 | 4 };

/** One shape the bench times: K channels a workgroup, T steps a tile, W states a lane, the lanes aimed at, soft states. */
export interface SplitShape {
  channels: number;
  steps: number;
  width: 2 | 4;
  lanes: number;
  soft: number;
  softOut: number;
}

/**
 * The variants the bench times (engine/bench/scans.ts). Per (d, n, t) the chunk-state pass issues about 4.6
 * instructions besides its exp2, the output pass 5.9, against 8 issue cycles of a scheduler per SFU warp
 * instruction: both are bound by the SFU (2.4 exp2-like a (d, n, t) in all with softplus and silu: 0.15 ms
 * at L=4K), so: the default; one state of four in the chunk-state pass on the FMA units (SFU 0.75 of its
 * slots, issue about 7.4 of 8); the same with 32 channels a workgroup (half the B/C re-reads from L2:
 * 200 → 100 MB at 4K); half the chunks with longer tiles (half the carry's traffic, half the barriers a
 * step). Each fits SwiftShader's 32 KiB of workgroup memory.
 */
export const SPLIT_BENCH_SHAPES: readonly SplitShape[] = [
  { channels: 16, steps: 16, width: 4, lanes: SPLIT_LANES, soft: 0, softOut: 0 },
  { channels: 16, steps: 16, width: 4, lanes: SPLIT_LANES, soft: 1, softOut: 0 },
  { channels: 32, steps: 16, width: 4, lanes: SPLIT_LANES, soft: 1, softOut: 0 },
  { channels: 16, steps: 32, width: 4, lanes: SPLIT_LANES / 2, soft: 0, softOut: 0 },
];

/** Params p at one bench shape, its split counted from the lanes the shape aims at (splitChunks). */
export function splitAt(p: SplitScanParams, s: SplitShape): SplitScanParams {
  const rows = p.batch * p.D * Math.ceil(p.N / s.width);
  const { chunks } = splitChunks(p.L, s.steps, rows, undefined, s.lanes);
  const { channels, steps: chunk, width, soft, softOut } = s;
  return { ...p, channels, chunk, width, soft, softOut, split: chunks };
}

/** The tile kernel's layout (the same K × NL lanes and staged arrays), plus the chunks and soft states. */
export interface SplitLayout extends TileLayout {
  /** Chunks S and steps a chunk Q (a multiple of T; the last chunk may be shorter). */
  chunks: number;
  span: number;
  soft: number;
  softOut: number;
}

/**
 * (S chunks, Q steps a chunk) for L steps, T a tile: `split` chunks if asked, else enough chunks that
 * rows · S reaches `lanes` (rows = batch·D·NL lanes of one chunk), at most L / SPLIT_MIN_STEPS. Q rounds
 * ⌈L / S⌉ up to a tile, so S is recounted from Q.
 */
export function splitChunks(L: number, T: number, rows: number, split?: number, lanes = SPLIT_LANES) {
  const want = split ?? Math.min(Math.ceil(lanes / rows), Math.floor(L / SPLIT_MIN_STEPS));
  const S0 = Math.max(1, Math.min(want, Math.ceil(L / T)));
  const span = Math.ceil(Math.ceil(L / S0) / T) * T;
  return { chunks: Math.ceil(L / span), span };
}

/** The layout for params p on this device; throws where a size does not fit the kernels or the device. */
export function splitLayout(gpu: Gpu, p: SplitScanParams, lanes = SPLIT_LANES): SplitLayout {
  // The lanes and the staged arrays are the tile kernel's (its sU, sDl, sB, sC, sY: tileSharedBytes), and
  // so are its checks; its bound on prefetch slots holds here too though these kernels prefetch nothing
  // (T up to 128 at N=16, W=4: more than the chunk passes want).
  const tile = tileLayout(gpu, {
    ...p,
    channels: p.channels ?? SPLIT_DEFAULTS.channels,
    chunk: p.chunk ?? SPLIT_DEFAULTS.steps,
    width: p.width ?? SPLIT_DEFAULTS.width,
  });
  if (p.split !== undefined && (!Number.isInteger(p.split) || p.split < 1))
    throw new EngineError(LABEL, `split must be a whole number of chunks >= 1, got ${p.split}`);
  const soft = p.soft ?? 0;
  const softOut = p.softOut ?? 0;
  for (const s of [soft, softOut])
    if (!Number.isInteger(s) || s < 0 || s > tile.width)
      throw new EngineError(LABEL, `software exp2 states must be 0 to ${tile.width}, got ${s}`);
  const rows = p.batch * p.D * tile.lanes;
  return { ...tile, ...splitChunks(p.L, tile.steps, rows, p.split, lanes), soft, softOut };
}

/** Floats of the chunk buffer: (S, BD, NL·W) states, then (S, BD) Σδ' each in a W-vector. */
export const chunkFloats = (p: SplitScanParams, l: SplitLayout): number =>
  l.chunks * scanRows(p) * (l.lanes + 1) * l.width;

const CARRY_WG = 64;

/** The prelude's decay(x): exp2 of each of the W states, the first `soft` on the FMA units (softExp2). */
export function decayWgsl(width: 2 | 4, soft: number): string {
  const parts = ['x', 'y', 'z', 'w']
    .slice(0, width)
    .map((c, s) => (s < soft ? `softExp2(x.${c})` : `exp2(x.${c})`));
  return `fn decay(x: SV) -> SV {\n  return SV(${parts.join(', ')});\n}\n`;
}

/** The two chunk passes (out: the output pass) or the carry. */
export function selectiveScanSplitKernel(
  gpu: Gpu,
  l: SplitLayout,
  pass: 'state' | 'carry' | 'out',
): Promise<Kernel> {
  const vec = `const W: u32 = ${l.width}u;\nalias SV = vec${l.width}<f32>;\n`;
  if (pass === 'carry')
    return kernel(gpu, {
      label: `${LABEL}.carry`,
      sources: [...SCAN_SOURCES, 'mamba/selectiveScanSplitCarry.wgsl'],
      prelude: vec,
      constants: { NL: l.lanes, Q: l.span, WG: CARRY_WG },
    });
  const out = pass === 'out';
  return kernel(gpu, {
    label: `${LABEL}.${pass}`,
    sources: [...SCAN_SOURCES, 'mamba/scanBlocks.wgsl', 'mamba/selectiveScanSplit.wgsl'],
    prelude: `${vec}const OUT: bool = ${out};\n${decayWgsl(l.width, out ? l.softOut : l.soft)}`,
    constants: { K: l.channels, NL: l.lanes, T: l.steps, WG: l.wg, Q: l.span },
  });
}

/** The scan's three dispatches on buffers it is given, the chunk buffer made in `scope` (rowUnfit(p) must be null). */
export async function selectiveScanSplitDispatches(
  gpu: Gpu,
  scope: BufferScope,
  p: SplitScanParams,
  b: ScanBuffers & ScanOutputBuffers,
  l: SplitLayout = splitLayout(gpu, p),
): Promise<Dispatch[]> {
  const why = rowUnfit(p);
  if (why) throw new EngineError(LABEL, `the split kernels cannot run this scan: ${why}`);
  const [state, carry, out] = await Promise.all(
    (['state', 'carry', 'out'] as const).map((pass) => selectiveScanSplitKernel(gpu, l, pass)),
  );
  const params = uniformFor(scope, state, scanParams(p, b.z)).buffer;
  // Written from the host (zeros): Dawn clears a buffer whose first use is a dispatch lazily, inside the
  // timed passes (10 MB here at D=4096, S=32).
  const chunks = scope.upload('chunks', new Float32Array(chunkFloats(p, l)));
  const { seq, bc, chan, out: o, lastState } = b;
  const passBindings = { p: params, seq, bc, chan, seq4: seq, bc4: bc, chunks, out4: o };
  const grid = gridFor(gpu, LABEL, tileWorkgroups(p, l.channels) * l.chunks).workgroups;
  return [
    { kernel: state, bindings: passBindings, workgroups: grid },
    {
      kernel: carry,
      bindings: { p: params, chan, chunks, lastState },
      workgroups: gridForInvocations(gpu, LABEL, scanRows(p) * p.N, CARRY_WG).workgroups,
    },
    { kernel: out, bindings: passBindings, workgroups: grid },
  ];
}

/** Runs the split scan, or where it cannot run the chunked form at its own default layout. */
export async function selectiveScanSplitGpu(
  gpu: Gpu,
  p: SplitScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions = {},
) {
  if (rowUnfit(p)) return selectiveScanChunkedGpu(gpu, { ...p, chunk: undefined, items: undefined }, x, opts);
  const l = splitLayout(gpu, p);
  return runAndRead(
    gpu,
    LABEL,
    async (scope) => {
      // The outputs too are written from the host, for the same reason as the chunk buffer: a lazy clear
      // of out (67 MB at D=4096, L=4K) would otherwise be timed with the kernels.
      const o = {
        out: scope.upload('out', new Float32Array(scanRows(p) * p.L)),
        lastState: scope.upload('lastState', new Float32Array(stateLength(p))),
      };
      return {
        dispatches: await selectiveScanSplitDispatches(gpu, scope, p, { ...packScan(scope, p, x), ...o }, l),
        read: { out: [o.out, scanRows(p) * p.L], lastState: [o.lastState, stateLength(p)] },
      };
    },
    opts.time,
  );
}

export const selectiveScanSplitProgram: Program<SplitScanParams, SelectiveScanInputs, SelectiveScanOutputs> =
  scanProgram(
    LABEL,
    'Selective scan, fused, split along L: chunk states, a carry, then each chunk again from its true start',
    selectiveScanSplitGpu,
  );
