// flashAttentionBackward: FlashAttention-2's backward pass (Dao 2023, Alg. 2) on WebGPU, which recomputes
// P tile by tile from Q, K and the logsumexp instead of storing the L×L matrix. One submission: the FA2
// forward (O, lse), the delta preprocess (delta = rowsum(dO ∘ O)), then two kernels:
//  - dK, dV (shaders/attention/flashBackward.wgsl): a workgroup per (batch, kv head, key tile j) keeps
//    K_j, V_j in workgroup memory and dK_j, dV_j in registers over the query tiles i ≥ firstQueryTile(j)
//    of every query head of its GQA group, recomputing P_ij from Q_i, K_j and lse_i at each step;
//  - dQ (shaders/attention/flashBackwardDq.wgsl): a workgroup per (batch, query head, query tile i)
//    recomputes P_ij and dS_ij over the visible key tiles and accumulates dQ_i = scale Σ_j dS_ij K_j.
// Why a separate dQ pass: Alg. 2 adds each step's dS_ij K_j into dQ_i in HBM from every key tile, which
// needs atomic f32 adds (CUDA's atomicAdd); WGSL has atomics for i32/u32 only. FA2's Triton kernel and
// many ports split dQ off into its own pass over query tiles instead, paying for a second recomputation of
// P and dS with a deterministic sum and no dQ scratch. Both kernels use the case's Br, Bc where the tiles
// fit the 16 KiB workgroup budget (backwardTileBytes), halved (larger side first) where they do not.

import type { Gpu } from '../../gpu/device';
import { gridFor } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { attentionBackwardTiled } from '../../reference/attentionBackward';
import type { Program, RunOptions, RunResult } from '../program';
import {
  type AttentionBackwardInputs,
  type AttentionBackwardOutputs,
  type BackwardBuffers,
  backwardGpu,
  forwardAndDelta,
  forwardAndDeltaTraceCapacity,
  makeBackwardInputs,
  type TracePasses,
  validateBackward,
} from './backwardCommon';
import {
  attentionUniformValues,
  checkDispatch,
  chooseFlashTiles,
  flashTileKernel,
  workgroupBudget,
} from './common';
import type { FlashAttentionParams } from './flashAttention';

/** Workgroup bytes of flashBackwardTile.wgsl: Qs, dOs (Br, d); Ks, Vs (Bc, d+1); Ps, dSs (Br, Bc+1); lse, delta. */
export function backwardTileBytes(d: number, Br: number, Bc: number): number {
  return 4 * (2 * Br * d + 2 * Bc * (d + 1) + 2 * Br * (Bc + 1) + 2 * Br) + 16;
}

/** The backward's tiles for these params: the requested Br×Bc, halved until backwardTileBytes fits. */
export function backwardTilesFor(gpu: Gpu, p: FlashAttentionParams) {
  const budget = workgroupBudget(gpu);
  return chooseFlashTiles('flashAttentionBackward', p.d, p.Br, p.Bc, budget, backwardTileBytes);
}

/** The two kernels: dK/dV (WG covers a (Bc, d) tile) and dQ (WG covers a (Br, d) tile). */
export function flashBackwardKernels(gpu: Gpu, d: number, Br: number, Bc: number, trace = false) {
  const build = (label: string, file: string, rows: number) =>
    flashTileKernel(
      gpu,
      label,
      ['backwardInputs.wgsl', 'flashBackwardTile.wgsl', file, 'common/perWorkgroup.wgsl'],
      d,
      { Br, Bc, rows },
      trace,
    );
  return Promise.all([
    build('flashAttentionBackward.dkdv', 'flashBackward.wgsl', Bc),
    build('flashAttentionBackward.dq', 'flashBackwardDq.wgsl', Br),
  ]);
}

/** Workgroups of the two kernels: b·h_k·Tc (dK, dV) and b·h·Tr (dQ). */
export function backwardWorkgroups(p: FlashAttentionParams, Br: number, Bc: number) {
  return { dkdv: p.b * p.hk * Math.ceil(p.sk / Bc), dq: p.b * p.h * Math.ceil(p.sq / Br) };
}

/** Trace events: forward, delta, then per dK/dV workgroup 5 + 8 per (head, query tile), per dQ one 3 + 5 per key tile. */
export function backwardTraceCapacity(gpu: Gpu, p: FlashAttentionParams): number {
  const { Br, Bc } = backwardTilesFor(gpu, p);
  const w = backwardWorkgroups(p, Br, Bc);
  const tr = Math.ceil(p.sq / Br);
  const tc = Math.ceil(p.sk / Bc);
  const kv = w.dkdv * (5 + 8 * (p.h / p.hk) * tr);
  return forwardAndDeltaTraceCapacity(gpu, p) + kv + w.dq * (6 + 5 * tc);
}

/** The whole chain on given buffers: forward, delta, dK/dV, dQ (four dispatches). */
export async function flashAttentionBackwardDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashAttentionParams,
  b: BackwardBuffers,
  trace = false,
): Promise<{ dispatches: Dispatch[]; passes: TracePasses; Br: number; Bc: number }> {
  const scale = checkDispatch('flashAttentionBackward', p, b);
  const { Br, Bc } = backwardTilesFor(gpu, p);
  const start = await forwardAndDelta(gpu, scope, p, b, trace);
  const [dkdvK, dqK] = await flashBackwardKernels(gpu, p.d, Br, Bc, trace);
  const w = backwardWorkgroups(p, Br, Bc);
  const g1 = gridFor(gpu, 'flashAttentionBackward.dkdv', w.dkdv);
  const g2 = gridFor(gpu, 'flashAttentionBackward.dq', w.dq);
  const at1 = start.wg0;
  const at2 = at1 + w.dkdv;
  const u1 = uniformFor(scope, dkdvK, attentionUniformValues(p, scale, { count: g1.count, wg0: at1 }));
  const u2 = uniformFor(scope, dqK, attentionUniformValues(p, scale, { count: g2.count, wg0: at2 }));
  const { q, k, v, dout, lse, delta: dl, dq, dk, dv } = b;
  const common = { q, k, v, dout, lse, delta: dl, trace: b.trace };
  const dispatches: Dispatch[] = [
    ...start.dispatches,
    { kernel: dkdvK, bindings: { p: u1.buffer, ...common, dk, dv }, workgroups: g1.workgroups },
    { kernel: dqK, bindings: { p: u2.buffer, ...common, dq }, workgroups: g2.workgroups },
  ];
  const passes: TracePasses = { ...start.passes, dkdv: [at1, at2], dq: [at2, at2 + w.dq] };
  return { dispatches, passes, Br, Bc };
}

export async function flashAttentionBackwardGpu(
  gpu: Gpu,
  p: FlashAttentionParams,
  x: AttentionBackwardInputs,
  opts: RunOptions = {},
): Promise<RunResult<AttentionBackwardOutputs> & { passes: TracePasses; Br: number; Bc: number }> {
  validateBackward('flashAttentionBackward', p, x);
  const traceEvents = backwardTraceCapacity(gpu, p);
  return backwardGpu(gpu, 'flashAttentionBackward', p, x, { ...opts, traceEvents }, (scope, b) =>
    flashAttentionBackwardDispatch(gpu, scope, p, b, opts.trace),
  );
}

export const flashAttentionBackwardProgram: Program<
  FlashAttentionParams,
  AttentionBackwardInputs,
  AttentionBackwardOutputs
> = {
  id: 'flashAttentionBackward',
  title: 'FlashAttention-2 backward (P recomputed tile by tile, never stored)',
  makeInputs: makeBackwardInputs,
  reference(p, x) {
    const scale = validateBackward('flashAttentionBackward', p, x);
    return attentionBackwardTiled(x.q, x.k, x.v, x.dout, p, p.Br, p.Bc, p.causal, scale);
  },
  run: (gpu, p, x, opts) => flashAttentionBackwardGpu(gpu, p, x, opts),
  tolerance: 1e-4,
};
