// linearAttentionParallel: the quadratic form o = (s·QKᵀ ⊙ M) V, M the causal mask (times e^{G_t − G_s}
// for simple GLA, γ_h^{t−s} for RetNet), on the GPU with Q tiles in workgroup memory. No initial state.

import type { Gpu } from '../../gpu/device';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { type LaShape, linearAttentionParallel } from '../../reference/linearAttention';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { type LaInputsF32, type LaParams, makeLaInputs } from './linearAttentionRecurrent';
import {
  checkGrid,
  LA_TRACE_TENSORS,
  type LaGpuInputs,
  type LaGpuOptions,
  quadraticTiles,
  scaleFor,
  validateLa,
  withNormalize,
} from './common';
import type { Program } from '../program';

const WG = 64;

export interface QuadraticOptions extends LaGpuOptions {
  /** Also return attn (B, H, T, T). */
  attn?: boolean;
  /** RetNet: constant decay γ_h = 1 − 2^{−5−h} and the (B, H, T, ·) layout. */
  retention?: boolean;
}

export interface QuadraticResult {
  o: Float32Array; // (B, T, H, V), or (B, H, T, V) for retention
  attn: Float32Array | null; // (B, H, T, T)
  gpuMs: number | null;
  trace: TraceCapture | null;
}

export async function laParallelGpu(
  gpu: Gpu,
  shape: LaShape,
  inputs: LaGpuInputs,
  opts: QuadraticOptions = {},
): Promise<QuadraticResult> {
  const label = opts.retention ? 'retentionParallel' : 'linearAttentionParallel';
  validateLa(label, shape, { ...inputs, gk: null, initialState: null });
  const scale = scaleFor(shape, opts.scale);
  const { p, x, finish } = withNormalize(shape, { ...inputs, initialState: null }, opts.normalize ?? false);
  const { B, T, H, K, V } = p;
  const { BR, prelude } = quadraticTiles(label, K, V, WG);
  const tiles = Math.ceil(T / BR);
  checkGrid(label, tiles, gpu.limits.maxComputeWorkgroupsPerDimension);
  // Gated: masked segment sums straight from g (DECAY 3), accurate at any T.
  const decay = opts.retention ? 2 : x.g ? 3 : 0;
  const scope = new BufferScope(gpu, label);
  try {
    const dispatches: Dispatch[] = [];
    const gate = scope.upload('g', x.g ?? new Float32Array(1));
    const k = await kernel(gpu, {
      label: `${label}.quadratic`,
      sources: ['common/trace.wgsl', 'linearAttention/linearAttentionParallel.wgsl'],
      constants: { WG, DECAY: decay, CHUNKED: 0, ATTN: opts.attn ? 1 : 0, TRACE: opts.trace ? 1 : 0 },
      prelude,
    });
    const o = scope.storage('o', B * T * H * V * 4);
    const attn = scope.storage('attn', opts.attn ? B * H * T * T * 4 : 4);
    // Capacity ≥ 1 even when off: a TraceBuf binding needs room for one word past its 16-byte header.
    const trace = traceBuffer(scope, opts.trace ? tiles * H * B * (4 + 2 * Math.ceil(T / BR)) : 1);
    dispatches.push({
      kernel: k,
      bindings: [
        scope.uniform('params', [
          ['u32', B],
          ['u32', T],
          ['u32', H],
          ['u32', K],
          ['u32', V],
          ['f32', scale],
          ['u32', T],
          ['u32', 1],
          ['u32', tiles],
          ['u32', opts.retention ? 1 : 0],
        ]),
        scope.upload('q', x.q),
        scope.upload('k', x.k),
        scope.upload('v', x.v),
        gate,
        gate,
        scope.storage('states', 4),
        o,
        attn,
        trace,
      ],
      workgroups: [tiles, H, B],
    });
    const { gpuMs } = await runDispatches(gpu, label, dispatches, { time: opts.time });
    const oh = await readF32(gpu, o, B * T * H * V);
    return {
      o: finish(oh, new Float32Array(0)).o,
      attn: opts.attn ? await readF32(gpu, attn, B * H * T * T) : null,
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, trace, LA_TRACE_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
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
    const r = await laParallelGpu(gpu, p, x, { ...p, ...opts });
    return { outputs: { o: r.o }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
