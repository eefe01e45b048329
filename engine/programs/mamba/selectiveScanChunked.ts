// selectiveScanChunked: the fused chunked parallel selective scan on the GPU (one dispatch with chained
// carries between chunks, or the portable three-dispatch form), with its instrumented TRACE variant.
// The CPU side is reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import type { SelectiveScanInputs, SelectiveScanParams } from '../../reference/mamba';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import type { RunOptions } from '../program';
import {
  packScan,
  SCAN_SOURCES,
  type ScanBuffers,
  type ScanOutputBuffers,
  SELECTIVE_SCAN_TRACE,
  scanProgram,
  scanOutputs,
  scanParams,
  scanRows,
  stateLength,
} from './common';

export const DEFAULT_CHUNK = 64;
const MAX_WG = 256;
const MAX_ITEMS = 8;
const CARRY_WG = 64;
const LABEL = 'selectiveScanChunked';

/**
 * Bytes of the carry buffer: a ticket word and, chained, the inclusive state of every chunk but the
 * last; in passes, every chunk's aggregate pair (decay, state).
 */
function carryBytes(p: SelectiveScanParams, chunk: number): number {
  const nChunks = Math.ceil(p.L / chunk);
  const perChunk = p.batch * p.D * p.N * (p.complex ? 2 : 1);
  return 4 * (1 + (p.carry === 'passes' ? 2 * nChunks * perChunk : (nChunks - 1) * perChunk));
}

/**
 * Chunk length, steps per invocation (ITEMS), invocations per state row (TPC = chunk / ITEMS), states
 * per block (NB) and chunk count for params p. Without p.chunk, the smallest of 64, 128, 256 whose
 * carry buffer fits in maxBytes (long sequences with a large N need longer chunks). Without p.items,
 * the largest of 8, 4, 2, 1 that divides the chunk.
 */
export function chunkLayout(p: SelectiveScanParams, maxBytes = Number.POSITIVE_INFINITY) {
  let chunk = p.chunk ?? DEFAULT_CHUNK;
  while (p.chunk === undefined && chunk < MAX_WG && carryBytes(p, chunk) > maxBytes) chunk *= 2;
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > MAX_WG)
    throw new EngineError(LABEL, `chunk must be an integer in 1..${MAX_WG}, got ${chunk}`);
  const items = p.items ?? [8, 4, 2, 1].find((i) => chunk % i === 0) ?? 1;
  if (!Number.isInteger(items) || items < 1 || items > MAX_ITEMS || chunk % items !== 0)
    throw new EngineError(
      LABEL,
      `items must divide the chunk ${chunk} and lie in 1..${MAX_ITEMS}, got ${items}`,
    );
  const tpc = chunk / items;
  let nb = 1;
  while (nb * 2 * tpc <= MAX_WG && nb < p.N) nb *= 2;
  return {
    chunk,
    items,
    tpc,
    nb,
    nChunks: Math.ceil(p.L / chunk),
    nBlocks: Math.ceil(p.N / nb),
    levels: Math.ceil(Math.log2(tpc)),
    carryBytes: carryBytes(p, chunk),
  };
}

export type ChunkLayout = ReturnType<typeof chunkLayout>;

/** The layout this device can hold (the carry buffer within one binding). */
export function deviceChunkLayout(gpu: Gpu, p: SelectiveScanParams): ChunkLayout {
  return chunkLayout(p, Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize));
}

/** Trace records a traced run can make (both passes of the fallback). */
export function chunkedTraceCapacity(p: SelectiveScanParams, l: ChunkLayout): number {
  const wgs = l.nChunks * scanRows(p);
  return (p.carry === 'passes' ? 2 : 1) * wgs * (6 + l.nBlocks * (5 + l.levels));
}

/** MODE 0: fused with chained carries; 1: aggregates only; 2: apply the carries. */
export function selectiveScanChunkedKernel(
  gpu: Gpu,
  p: SelectiveScanParams,
  l: ChunkLayout,
  mode: 0 | 1 | 2,
  trace = false,
): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.${['fused', 'aggregate', 'apply'][mode]}`,
    sources: [...SCAN_SOURCES, 'common/trace.wgsl', 'mamba/selectiveScanChunked.wgsl'],
    constants: {
      TPC: l.tpc,
      ITEMS: l.items,
      NB: l.nb,
      COMPLEX: p.complex ? 1 : 0,
      TRACE: trace ? 1 : 0,
      MODE: mode,
    },
    trace: SELECTIVE_SCAN_TRACE,
  });
}

function carryKernel(gpu: Gpu, p: SelectiveScanParams): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.carry`,
    sources: ['common/math.wgsl', 'common/grid.wgsl', 'mamba/selectiveScanCarry.wgsl'],
    constants: { WG: CARRY_WG, COMPLEX: p.complex ? 1 : 0 },
  });
}

/**
 * The scan's dispatches on buffers it is given: one fused dispatch (p.carry chained), or aggregate ->
 * carry -> apply (p.carry 'passes'). The carry buffer is scratch from `scope`, zero when made: run the
 * dispatches once. `trace` is bound in any case; traced, it needs chunkedTraceCapacity records.
 */
export async function selectiveScanChunkedDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SelectiveScanParams,
  b: ScanBuffers & ScanOutputBuffers & { trace: GPUBuffer },
  traced = false,
): Promise<Dispatch[]> {
  const l = deviceChunkLayout(gpu, p);
  const rows = scanRows(p);
  const carry = scope.storage('carry', l.carryBytes);
  const grid = gridFor(gpu, LABEL, l.nChunks * rows).workgroups;
  const passes = p.carry === 'passes';
  const [first, second] = await Promise.all(
    (passes ? ([1, 2] as const) : ([0] as const)).map((m) =>
      selectiveScanChunkedKernel(gpu, p, l, m, traced),
    ),
  );
  const params = uniformFor(scope, first, scanParams(p, b.z)).buffer;
  const { seq, bc, chan, out, lastState, trace } = b;
  const bindings = { p: params, seq, bc, chan, outBuf: out, lastState, carry, trace };
  const scan = (k: Kernel): Dispatch => ({ kernel: k, bindings, workgroups: grid });
  if (!passes) return [scan(first)];
  const ck = await carryKernel(gpu, p);
  const cp = uniformFor(scope, ck, { rows, N: p.N, nChunks: l.nChunks });
  const carryGrid = gridForInvocations(gpu, `${LABEL}.carry`, rows * p.N, CARRY_WG);
  return [
    scan(first),
    { kernel: ck, bindings: { p: cp.buffer, carry, lastState }, workgroups: carryGrid.workgroups },
    scan(second),
  ];
}

export async function selectiveScanChunkedGpu(
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  opts: RunOptions = {},
) {
  return runAndRead<'out' | 'lastState', { trace: TraceCapture | null }>(
    gpu,
    LABEL,
    async (scope) => {
      const l = deviceChunkLayout(gpu, p);
      const o = scanOutputs(scope, p);
      const trace = traceBuffer(scope, opts.trace ? chunkedTraceCapacity(p, l) : 1);
      const b = { ...packScan(scope, p, x), ...o, trace };
      return {
        dispatches: await selectiveScanChunkedDispatch(gpu, scope, p, b, opts.trace),
        read: { out: [o.out, scanRows(p) * p.L], lastState: [o.lastState, stateLength(p)] },
        after: async () => ({
          trace: opts.trace ? await readTrace(gpu, trace, SELECTIVE_SCAN_TRACE) : null,
        }),
      };
    },
    opts.time,
  );
}

export const selectiveScanChunkedProgram = scanProgram(
  LABEL,
  'Selective scan, fused and chunked (parallel scan within chunks, chained carries)',
  selectiveScanChunkedGpu,
);
