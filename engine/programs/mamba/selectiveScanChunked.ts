// selectiveScanChunked: the fused chunked parallel selective scan on the GPU (one dispatch with chained
// carries between chunks, or the portable three-dispatch form), with its instrumented TRACE variant.
// The CPU side is reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import {
  type SelectiveScanInputs,
  type SelectiveScanOutputs,
  type SelectiveScanParams,
  selectiveScan,
} from '../../reference/mamba';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { foldGrid, makeScanInputs, packScan } from './common';
import type { Program } from '../program';

/** Tensor ids of the trace events, in the kernel's T_* order. */
export const SCAN_TRACE_TENSORS = [
  'u',
  'delta',
  'B',
  'C',
  'z',
  'out',
  'last_state',
  'carry',
  'A',
  'D',
  'delta_bias',
] as const;

export const DEFAULT_CHUNK = 64;
const MAX_WG = 256;
const MAX_ITEMS = 8;

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
    throw new EngineError('selectiveScanChunked', `chunk must be an integer in 1..${MAX_WG}, got ${chunk}`);
  const items = p.items ?? [8, 4, 2, 1].find((i) => chunk % i === 0) ?? 1;
  if (!Number.isInteger(items) || items < 1 || items > MAX_ITEMS || chunk % items !== 0)
    throw new EngineError(
      'selectiveScanChunked',
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

export async function selectiveScanChunkedGpu(
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  opts: { trace?: boolean; time?: boolean } = {},
): Promise<{ out: Float32Array; lastState: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  const maxBytes = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize);
  const { items, tpc, nb, nChunks, nBlocks, levels, carryBytes: cb } = chunkLayout(p, maxBytes);
  const scope = new BufferScope(gpu, 'selectiveScanChunked');
  try {
    const cx = p.complex ? 2 : 1;
    const rows = p.batch * p.D;
    const packed = packScan(scope, p, x);
    packed.fields[4] = ['u32', nChunks];
    const sources = [
      'common/math.wgsl',
      'common/trace.wgsl',
      'common/complex.wgsl',
      'mamba/selectiveScanChunked.wgsl',
    ];
    const fused = (mode: number, name: string) =>
      kernel(gpu, {
        label: `selectiveScanChunked.${name}`,
        sources,
        constants: {
          TPC: tpc,
          ITEMS: items,
          NB: nb,
          COMPLEX: p.complex ? 1 : 0,
          TRACE: opts.trace ? 1 : 0,
          MODE: mode,
        },
      });
    const out = scope.storage('out', rows * p.L * 4);
    const last = scope.storage('lastState', rows * p.N * cx * 4);
    const carry = scope.storage('carry', cb);
    const wgs = nChunks * rows;
    const passes = p.carry === 'passes';
    const trace = traceBuffer(scope, opts.trace ? (passes ? 2 : 1) * wgs * (6 + nBlocks * (5 + levels)) : 1);
    const grid = foldGrid(wgs, gpu.limits.maxComputeWorkgroupsPerDimension);
    const bindings = [
      scope.uniform('params', packed.fields),
      packed.seq,
      packed.bc,
      packed.chan,
      out,
      last,
      carry,
      trace,
    ];
    const dispatches: Dispatch[] = [];
    if (passes) {
      const cgrid = foldGrid(Math.ceil((rows * p.N) / 64), gpu.limits.maxComputeWorkgroupsPerDimension);
      const carryKernel = await kernel(gpu, {
        label: 'selectiveScanChunked.carry',
        sources: ['common/math.wgsl', 'mamba/selectiveScanCarry.wgsl'],
        constants: { WG: 64, COMPLEX: p.complex ? 1 : 0 },
      });
      const cparams = scope.uniform('carryParams', [
        ['u32', rows],
        ['u32', p.N],
        ['u32', nChunks],
      ]);
      dispatches.push(
        { kernel: await fused(1, 'aggregate'), bindings, workgroups: grid },
        { kernel: carryKernel, bindings: [cparams, carry, last], workgroups: cgrid },
        { kernel: await fused(2, 'apply'), bindings, workgroups: grid },
      );
    } else {
      dispatches.push({ kernel: await fused(0, 'fused'), bindings, workgroups: grid });
    }
    const { gpuMs } = await runDispatches(gpu, 'selectiveScanChunked', dispatches, { time: opts.time });
    return {
      out: await readF32(gpu, out, rows * p.L),
      lastState: await readF32(gpu, last, rows * p.N * cx),
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, trace, SCAN_TRACE_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
}

export const selectiveScanChunkedProgram: Program<
  SelectiveScanParams,
  SelectiveScanInputs,
  SelectiveScanOutputs
> = {
  id: 'selectiveScanChunked',
  title: 'Selective scan, fused and chunked (parallel scan within chunks, chained carries)',
  makeInputs: (p, seed) => makeScanInputs(p, seed),
  reference: (p, x) => selectiveScan(p, x),
  async run(gpu, p, x, opts = {}) {
    const r = await selectiveScanChunkedGpu(gpu, p, x, opts);
    return { outputs: { out: r.out, lastState: r.lastState }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
