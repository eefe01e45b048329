// linearAttentionChunked: the chunked form on the GPU in three passes, chunk states ΔS_n, a scan over the
// chunks (S_before(n) and S_T), then outputs (intra-chunk quadratic + inter-chunk q·S_before). With g it is
// simple GLA's chunked form (a gate cumsum runs first). T need not be a multiple of the chunk: the last
// chunk is short.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type LaShape, linearAttentionChunked } from '../../reference/linearAttention';
import { traceBuffer } from '../../trace/events';
import type { LaGpuInputs, LaGpuOptions, LaInputsF32, LaParams, LaRun, QkvBuffers } from './common';
import {
  gateCumsumDispatch,
  headDispatch,
  LA_TRACE,
  laProgram,
  laRun,
  makeLaInputs,
  placeholder,
  prepareLa,
  quadraticTiles,
  tracedSources,
  uploadQkv,
  WG,
} from './common';
import { laQuadraticKernel } from './linearAttentionParallel';

export interface ChunkedOptions extends LaGpuOptions {
  /** Chunk length C (fla's default 64). */
  chunk?: number;
}

function checkChunk(C: number): number {
  if (!Number.isInteger(C) || C < 1)
    throw new EngineError('linearAttentionChunked', `chunk must be a positive integer, got ${C}`);
  return C;
}

/** Sizes of the three passes, exported so tests can derive the trace byte counts. */
export function chunkedPlan(p: LaShape, C: number) {
  const NC = Math.ceil(p.T / C);
  const VT = Math.min(p.V, Math.max(1, Math.floor(1024 / p.K)));
  const nVT = Math.ceil(p.V / VT);
  const CB = Math.max(1, Math.min(C, 32, Math.floor(3072 / (p.K + VT))));
  const { BR } = quadraticTiles('linearAttentionChunked', p.K, p.V);
  const scanGroups = Math.ceil((p.K * p.V) / WG);
  return { NC, VT, nVT, CB, BR, tiles: Math.ceil(Math.min(C, p.T) / BR), scanGroups };
}

/** Trace records a traced chunked run writes: per head, the three passes' events. */
export function chunkedTraceCapacity(p: LaShape, C: number): number {
  const { NC, nVT, CB, tiles, scanGroups } = chunkedPlan(p, C);
  const perHead =
    NC * nVT * (2 + 2 * Math.ceil(C / CB)) + scanGroups * (2 + 3 * NC) + NC * tiles * (6 + 2 * tiles);
  return p.B * p.H * perHead;
}

/** The chunk-state pass ΔS_n (decay 0: none, 1: scalar G (B, H, T), 2: G over K (B, H, T, K)). */
export function chunkStateKernel(
  gpu: Gpu,
  label: string,
  p: LaShape,
  C: number,
  decay: number,
  trace: boolean,
) {
  const { VT, CB } = chunkedPlan(p, C);
  return kernel(gpu, {
    label: `${label}.chunkState`,
    sources: [...tracedSources('laTile', 'linearAttentionChunkState'), 'common/perWorkgroup.wgsl'],
    constants: { WG, DECAY: decay, TRACE: trace ? 1 : 0 },
    prelude: `const KP: u32 = ${p.K}u;\nconst VT: u32 = ${VT}u;\nconst CB: u32 = ${CB}u;\nconst NACC: u32 = ${Math.ceil((p.K * VT) / WG)}u;\n`,
    trace: LA_TRACE,
  });
}

/** The scan over the chunks: S_before(n) in place of ΔS_n, and S_T (decay as in chunkStateKernel). */
export function stateScanKernel(gpu: Gpu, label: string, decay: number, trace: boolean) {
  return kernel(gpu, {
    label: `${label}.stateScan`,
    sources: [...tracedSources('linearAttentionStateScan'), 'common/perWorkgroup.wgsl'],
    constants: { WG, DECAY: decay, TRACE: trace ? 1 : 0 },
    trace: LA_TRACE,
  });
}

export interface LaChunkedPlan extends LaShape {
  chunk: number;
  scale: number;
  /** g bound: G per chunk from gateCumsum, decays e^{G_t − G_s}. */
  decay: boolean;
  hasS0: boolean;
  trace: boolean;
}

/** What the chunked forms (this one and RWKV-6's) bind besides their inputs: S0, o, S_T and the trace. */
export interface ChunkedOutBuffers {
  s0: GPUBuffer | null; // (B, H, K, V), when plan.hasS0
  o: GPUBuffer; // (B, T, H, V); RWKV-6's head-first (B, H, T, V)
  sT: GPUBuffer; // (B, H, K, V)
  trace: GPUBuffer;
}

export interface LaChunkedBuffers extends QkvBuffers, ChunkedOutBuffers {
  g: GPUBuffer | null; // (B, T, H), when plan.decay
}

/** The chunked form on given buffers: [gate cumsum,] chunk states, state scan, outputs. */
export async function laChunkedDispatches(
  gpu: Gpu,
  scope: BufferScope,
  plan: LaChunkedPlan,
  b: LaChunkedBuffers,
): Promise<Dispatch[]> {
  const label = 'linearAttentionChunked';
  const C = checkChunk(plan.chunk);
  const { B, T, H, K, V } = plan;
  const { NC, nVT, tiles, scanGroups } = chunkedPlan(plan, C);
  const DECAY = plan.decay ? 1 : 0;
  const dispatches: Dispatch[] = [];
  let gHi = placeholder(scope, 'gHi');
  let gLo = gHi;
  if (plan.decay) {
    if (!b.g) throw new EngineError(label, 'decay needs the gate g (B, T, H)');
    gHi = scope.storage('gHi', B * H * T * 4);
    gLo = scope.storage('gLo', B * H * T * 4);
    dispatches.push(await gateCumsumDispatch(gpu, scope, plan, C, { g: b.g, gHi, gLo }));
  }
  const [kState, kScan, out] = await Promise.all([
    chunkStateKernel(gpu, label, plan, C, DECAY, plan.trace),
    stateScanKernel(gpu, label, DECAY, plan.trace),
    laQuadraticKernel(gpu, label, K, V, { decay: DECAY, chunked: true, attn: false, trace: plan.trace }),
  ]);
  const states = scope.storage('states', B * H * NC * K * V * 4); // (B, H, NC, K, V): ΔS_n, then S_before(n)
  const { q, k, v, o, sT, trace } = b;
  if (plan.hasS0 && !b.s0) throw new EngineError(label, 'hasS0 needs the initial state s0 (B, H, K, V)');
  const s0 = b.s0 ?? placeholder(scope, 's0');
  const hasS0 = plan.hasS0 ? 1 : 0;
  const attn = placeholder(scope, 'attn');
  dispatches.push(
    headDispatch(scope, kState, plan, NC * nVT, { C, NC, nVT }, { k, v, gHi, gLo, states, trace }),
    headDispatch(scope, kScan, plan, scanGroups, { C, NC, hasS0 }, { gHi, gLo, s0, states, sT, trace }),
    headDispatch(
      scope,
      out.k,
      plan,
      NC * tiles,
      { scale: plan.scale, C, NC, tiles },
      { q, k, v, gHi, gLo, states, o, attn, trace },
    ),
  );
  return dispatches;
}

export async function laChunkedGpu(
  gpu: Gpu,
  shape: LaShape,
  inputs: LaGpuInputs,
  opts: ChunkedOptions = {},
): Promise<LaRun> {
  const label = 'linearAttentionChunked';
  const { scale, p, x, finish } = prepareLa(label, shape, { ...inputs, gk: null }, opts);
  const C = checkChunk(opts.chunk ?? 64);
  const { B, T, H, K, V } = p;
  const trace = opts.trace ?? false;
  return laRun(
    gpu,
    label,
    opts,
    async (scope) => {
      const b: LaChunkedBuffers = {
        ...uploadQkv(scope, x),
        g: x.g ? scope.upload('g', x.g) : null,
        s0: x.initialState ? scope.upload('s0', x.initialState) : null,
        o: scope.storage('o', B * T * H * V * 4),
        sT: scope.storage('finalState', B * H * K * V * 4),
        // Capacity ≥ 1 even when off: a TraceBuf binding needs room for one word past its 16-byte header.
        trace: traceBuffer(scope, trace ? chunkedTraceCapacity(p, C) : 1),
      };
      const plan = { ...p, chunk: C, scale, decay: !!x.g, hasS0: !!x.initialState, trace };
      const dispatches = await laChunkedDispatches(gpu, scope, plan, b);
      return { dispatches, o: [b.o, B * T * H * V], finalState: [b.sT, B * H * K * V], trace: b.trace };
    },
    finish,
  );
}

export interface LaChunkedParams extends LaParams {
  chunk: number;
}

export const linearAttentionChunkedProgram = laProgram<LaChunkedParams, LaInputsF32>({
  id: 'linearAttentionChunked',
  title: 'Linear attention, chunked form (chunk states, scan over chunks, outputs)',
  makeInputs: makeLaInputs,
  reference: (p, x) => linearAttentionChunked(p, x, p.chunk, p.scale, p.normalize),
  gpu: (gpu, p, x, opts) => laChunkedGpu(gpu, p, x, { ...p, ...opts }),
});
