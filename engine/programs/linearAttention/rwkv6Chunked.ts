// RWKV-6, chunked form on the GPU, head-first (B, H, T, ·), equal to the recurrence (rwkv6Recurrent.ts):
//   1. G = Σ w from each chunk start, per channel, as hi + lo (the family's gate cumsum, vector mode);
//   2. chunk states ΔS_n = Σ_s diag(e^{G_last − G_s}) k_s v_sᵀ (the family's chunk-state kernel, DECAY 2);
//   3. the scan over chunks S_before(n + 1) = diag(e^{G_last(n)}) S_before(n) + ΔS_n, and S_T (state scan);
//   4. per chunk the attention-like matrix A[t, s] = Σ_i q_t k_s e^{G_{t−1} − G_s} (s < t), A[t, t] =
//      q_t·(u ∘ k_t), and q̃_t = q_t ∘ e^{G_{t−1}} (rwkv6ChunkAttn.wgsl; every exponent ≤ 0);
//   5. o_t = s·(q̃_tᵀ S_before(n) + Σ_{s ≤ t} A[t, s] v_s) (rwkv6ChunkOutput.wgsl).
// T need not be a multiple of the chunk: the last chunk is short.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import type { Rwkv6Shape } from '../../reference/rwkv6';
import {
  gateCumsumDispatch,
  headDispatch,
  LA_TRACE,
  type LaRun,
  laProgram,
  placeholder,
  tracedSources,
  WG,
} from './common';
import {
  type ChunkedOutBuffers,
  chunkedPlan,
  chunkStateKernel,
  stateScanKernel,
} from './linearAttentionChunked';
import {
  makeRwkv6Inputs,
  type Rwkv6Buffers,
  type Rwkv6GpuInputs,
  type Rwkv6Options,
  type Rwkv6Params,
  rwkv6Reference,
  rwkv6Run,
  rwkv6Shape,
} from './rwkv6Recurrent';

const LABEL = 'rwkv6Chunked';

export interface Rwkv6ChunkedOptions extends Rwkv6Options {
  /** Chunk length C (default 32). */
  chunk?: number;
}

/** Row tile of the output pass: the largest BR ≤ 16 whose [q̃ | A] rows fit 16 KiB of workgroup memory. */
function outputRows(K: number, C: number): number {
  for (const br of [16, 8, 4, 2, 1]) if (br * (K + C) * 4 <= 16384) return br;
  throw new EngineError(LABEL, `K + chunk = ${K + C} does not fit 16 KiB of workgroup memory`);
}

/** Sizes of the passes, exported so tests can derive the trace. */
export function rwkv6ChunkedPlan(p: Rwkv6Shape, C: number) {
  if (!Number.isInteger(C) || C < 1)
    throw new EngineError(LABEL, `chunk must be a positive integer, got ${C}`);
  const { NC, nVT, CB, scanGroups } = chunkedPlan(p, C);
  const BR = outputRows(p.K, C);
  const tiles = Math.ceil(Math.min(C, p.T) / BR);
  const attnGroups = Math.ceil((p.T * C) / WG);
  return { NC, nVT, CB, scanGroups, BR, tiles, attnGroups };
}

/** Trace records a traced chunked run writes, per head summed over its passes. */
export function rwkv6ChunkedTraceCapacity(p: Rwkv6Shape, C: number): number {
  const { NC, nVT, CB, scanGroups, tiles, attnGroups } = rwkv6ChunkedPlan(p, C);
  const perHead =
    NC * nVT * (2 + 2 * Math.ceil(C / CB)) + scanGroups * (2 + 3 * NC) + 2 * attnGroups + 6 * NC * tiles;
  return p.B * p.H * perHead;
}

export interface Rwkv6ChunkedPlan extends Rwkv6Shape {
  chunk: number;
  scale: number;
  hasS0: boolean;
  trace: boolean;
}

/** The inputs, then S0, o (B, H, T, V), S_T and the trace as the chunked linear attention binds them. */
export type Rwkv6ChunkedBuffers = Rwkv6Buffers & ChunkedOutBuffers;

/** The chunked form on given buffers: gate cumsum, chunk states, state scan, intra-chunk matrix, outputs. */
export async function rwkv6ChunkedDispatches(
  gpu: Gpu,
  scope: BufferScope,
  plan: Rwkv6ChunkedPlan,
  b: Rwkv6ChunkedBuffers,
): Promise<Dispatch[]> {
  const C = plan.chunk;
  const { B, H, T, K, V } = plan;
  const { NC, nVT, BR, tiles, scanGroups, attnGroups } = rwkv6ChunkedPlan(plan, C);
  if (plan.hasS0 && !b.s0) throw new EngineError(LABEL, 'hasS0 needs the initial state s0 (B, H, K, V)');
  const TRACE = plan.trace ? 1 : 0;
  const [kState, kScan, kAttn, kOut] = await Promise.all([
    chunkStateKernel(gpu, LABEL, plan, C, 2, plan.trace),
    stateScanKernel(gpu, LABEL, 2, plan.trace),
    kernel(gpu, {
      label: `${LABEL}.attn`,
      sources: [...tracedSources('rwkv6ChunkAttn'), 'common/perWorkgroup.wgsl'],
      constants: { WG, TRACE },
      trace: LA_TRACE,
    }),
    kernel(gpu, {
      label: `${LABEL}.output`,
      sources: tracedSources('laTile', 'rwkv6ChunkOutput'),
      constants: { WG, TRACE },
      prelude: `const KP: u32 = ${K}u;\nconst CP: u32 = ${C}u;\nconst BR: u32 = ${BR}u;\nconst NACC: u32 = ${Math.ceil((BR * V) / WG)}u;\n`,
      trace: LA_TRACE,
    }),
  ]);
  const gHi = scope.storage('gHi', B * H * T * K * 4); // (B, H, T, K) G restarted per chunk
  const gLo = scope.storage('gLo', B * H * T * K * 4);
  const states = scope.storage('states', B * H * NC * K * V * 4); // (B, H, NC, K, V): ΔS_n, then S_before(n)
  const attn = scope.storage('attn', B * H * T * C * 4); // (B, H, T, C) A[t, c0 + c]
  const qd = scope.storage('qd', B * H * T * K * 4); // (B, H, T, K) q̃
  const { q, k, v, u, o, sT, trace } = b;
  const s0 = b.s0 ?? placeholder(scope, 's0');
  const fields = { C, NC, headMajor: 1 };
  return [
    await gateCumsumDispatch(gpu, scope, plan, C, { g: b.w, gHi, gLo }, true),
    headDispatch(scope, kState, plan, NC * nVT, { ...fields, nVT }, { k, v, gHi, gLo, states, trace }),
    headDispatch(
      scope,
      kScan,
      plan,
      scanGroups,
      { ...fields, hasS0: plan.hasS0 ? 1 : 0 },
      { gHi, gLo, s0, states, sT, trace },
    ),
    headDispatch(scope, kAttn, plan, attnGroups, fields, { q, k, gHi, gLo, u, attn, qd, trace }),
    headDispatch(
      scope,
      kOut,
      plan,
      NC * tiles,
      { ...fields, tiles, scale: plan.scale },
      { qd, attn, v, states, o, trace },
    ),
  ];
}

export function rwkv6ChunkedGpu(
  gpu: Gpu,
  p: Rwkv6Shape,
  x: Rwkv6GpuInputs,
  opts: Rwkv6ChunkedOptions = {},
): Promise<LaRun> {
  const chunk = opts.chunk ?? 32;
  const traceCapacity = rwkv6ChunkedTraceCapacity(p, chunk);
  return rwkv6Run(gpu, LABEL, p, x, { ...opts, traceCapacity }, async (scope, b, scale) => {
    const { B, H, K, V } = p;
    const s0 = x.initialState ? scope.upload('s0', x.initialState) : null;
    const sT = scope.storage('finalState', B * H * K * V * 4);
    const plan = { ...p, chunk, scale, hasS0: !!s0, trace: opts.trace ?? false };
    return { dispatches: await rwkv6ChunkedDispatches(gpu, scope, plan, { ...b, s0, sT }), state: sT };
  });
}

export interface Rwkv6ChunkedParams extends Rwkv6Params {
  chunk?: number;
}

export const rwkv6ChunkedProgram = laProgram<Rwkv6ChunkedParams, Rwkv6GpuInputs>({
  id: 'rwkv6Chunked',
  title: 'RWKV-6, chunked form (chunk states, scan over chunks, intra-chunk matrix in log space, outputs)',
  makeInputs: makeRwkv6Inputs,
  reference: rwkv6Reference,
  gpu: (gpu, p, x, opts) =>
    rwkv6ChunkedGpu(gpu, rwkv6Shape(p), x, { ...opts, scale: p.scale, chunk: p.chunk }),
});
