// linearAttentionParallel: the quadratic form o = (s·QKᵀ ⊙ M) V, M the causal mask (times e^{G_t − G_s}
// for simple GLA, γ_h^{t−s} for RetNet), on the GPU with Q tiles in workgroup memory. No initial state.
// Its kernel is also the output pass of the chunked form (CHUNKED on), built here for both.

import type { Gpu } from '../../gpu/device';
import { type Dispatch, kernel } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { type LaShape, linearAttentionParallel } from '../../reference/linearAttention';
import { traceBuffer } from '../../trace/events';
import type { LaGpuInputs, LaGpuOptions, LaInputsF32, LaParams, LaRun, QkvBuffers } from './common';
import {
  headDispatch,
  LA_TRACE,
  laRunAndRead,
  makeLaInputs,
  placeholder,
  prepareLa,
  quadraticTiles,
  tracedSources,
  uploadQkv,
  WG,
} from './common';
import type { Program } from '../program';

export interface QuadraticVariant {
  /** 0 none; 1 G per chunk as hi + lo (chunked); 2 RetNet's γ_h; 3 masked segment sums of raw g. */
  decay: 0 | 1 | 2 | 3;
  chunked: boolean;
  attn: boolean;
  trace: boolean;
}

/** The quadratic kernel for (K, V) and a variant; `label` is the program's. Returns its row tile BR too. */
export async function laQuadraticKernel(gpu: Gpu, label: string, K: number, V: number, q: QuadraticVariant) {
  const { BR, prelude } = quadraticTiles(label, K, V);
  const k = await kernel(gpu, {
    label: `${label}.${q.chunked ? 'chunkOutput' : 'quadratic'}`,
    sources: tracedSources('laTile', 'linearAttentionParallel'),
    constants: {
      WG,
      DECAY: q.decay,
      CHUNKED: q.chunked ? 1 : 0,
      ATTN: q.attn ? 1 : 0,
      TRACE: q.trace ? 1 : 0,
    },
    prelude,
    trace: LA_TRACE,
  });
  return { k, BR };
}

export interface LaParallelPlan extends LaShape {
  scale: number;
  /** 0 none, 2 RetNet's γ_h = 1 − 2^{−5−h}, 3 simple GLA from g. */
  decay: 0 | 2 | 3;
  /** Also write attn (B, H, T, T). */
  attn: boolean;
  /** (B, H, T, ·) layout, RetNet's (b, h, t, d). */
  headMajor: boolean;
  trace: boolean;
}

export interface LaParallelBuffers extends QkvBuffers {
  g: GPUBuffer; // (B, T, H) for decay 3, else a placeholder
  o: GPUBuffer; // (B, T, H, V)
  attn: GPUBuffer; // (B, H, T, T) when plan.attn, else a placeholder
  trace: GPUBuffer;
}

/** Trace records a traced quadratic run writes at most: per row tile, Q, O and two per key block. */
export function laParallelTraceCapacity(p: LaShape, BR: number): number {
  const tiles = Math.ceil(p.T / BR);
  return tiles * p.H * p.B * (4 + 2 * tiles);
}

/** The quadratic form on given buffers: one workgroup per (b, h, tile of BR query rows). */
export async function laParallelDispatch(
  gpu: Gpu,
  scope: BufferScope,
  label: string,
  plan: LaParallelPlan,
  b: LaParallelBuffers,
): Promise<Dispatch> {
  const variant = { decay: plan.decay, chunked: false, attn: plan.attn, trace: plan.trace };
  const { k, BR } = await laQuadraticKernel(gpu, label, plan.K, plan.V, variant);
  const tiles = Math.ceil(plan.T / BR);
  const fields = { scale: plan.scale, C: plan.T, NC: 1, tiles, headMajor: plan.headMajor ? 1 : 0 };
  const { g, ...rest } = b;
  return headDispatch(scope, k, plan, tiles, fields, {
    ...rest,
    gHi: g,
    gLo: g,
    states: placeholder(scope, 'states'),
  });
}

export interface QuadraticOptions extends LaGpuOptions {
  /** Also return attn (B, H, T, T). */
  attn?: boolean;
  /** RetNet: constant decay γ_h = 1 − 2^{−5−h} and the (B, H, T, ·) layout. */
  retention?: boolean;
}

export interface QuadraticResult extends Omit<LaRun, 'finalState'> {
  o: Float32Array; // (B, T, H, V), or (B, H, T, V) for retention
  attn: Float32Array | null; // (B, H, T, T)
}

export async function laParallelGpu(
  gpu: Gpu,
  shape: LaShape,
  inputs: LaGpuInputs,
  opts: QuadraticOptions = {},
): Promise<QuadraticResult> {
  const label = opts.retention ? 'retentionParallel' : 'linearAttentionParallel';
  const { scale, p, x, finish } = prepareLa(label, shape, { ...inputs, gk: null, initialState: null }, opts);
  const { B, T, H, V } = p;
  const trace = opts.trace ?? false;
  const { BR } = quadraticTiles(label, p.K, V);
  const r = await laRunAndRead(gpu, label, opts, async (scope) => {
    const b: LaParallelBuffers = {
      ...uploadQkv(scope, x),
      g: x.g ? scope.upload('g', x.g) : placeholder(scope, 'g'),
      o: scope.storage('o', B * T * H * V * 4),
      attn: opts.attn ? scope.storage('attn', B * H * T * T * 4) : placeholder(scope, 'attn'),
      trace: traceBuffer(scope, trace ? laParallelTraceCapacity(p, BR) : 1),
    };
    // Gated: masked segment sums straight from g (decay 3), accurate at any T.
    const decay = opts.retention ? 2 : x.g ? 3 : 0;
    const plan = { ...p, scale, decay, attn: !!opts.attn, headMajor: !!opts.retention, trace } as const;
    return {
      dispatches: [await laParallelDispatch(gpu, scope, label, plan, b)],
      read: { o: [b.o, B * T * H * V] },
      after: async () => ({ attn: opts.attn ? await readF32(gpu, b.attn, B * H * T * T) : null }),
      trace: b.trace,
    };
  });
  const { gpuMs, trace: tr, dispatches } = r;
  return { o: finish(r.o, new Float32Array(0)).o, attn: r.attn, gpuMs, trace: tr, dispatches };
}

export const linearAttentionParallelProgram: Program<
  LaParams,
  LaInputsF32,
  { o: Float32Array | Float64Array }
> = {
  id: 'linearAttentionParallel',
  title: 'Linear attention, quadratic form tril(s·QKᵀ)V',
  makeInputs: (p, seed) => ({ ...makeLaInputs(p, seed), initialState: null }),
  reference: (p, x) => ({ o: linearAttentionParallel(p, x, p.scale, p.normalize) }),
  async run(gpu, p, x, opts = {}) {
    const { o, gpuMs, trace, dispatches } = await laParallelGpu(gpu, p, x, { ...p, ...opts });
    return { outputs: { o }, gpuMs, trace, dispatches };
  },
  tolerance: 1e-4,
};
