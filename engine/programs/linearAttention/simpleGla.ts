// Simple GLA programs (a scalar log-decay g ≤ 0 per head and step): the recurrent, chunked and parallel
// forms, on the same GPU kernels as linear attention with the decay switched on. Their dispatch builders
// are the linear-attention ones with the gate bound.

import type { Gpu } from '../../gpu/device';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { simpleGlaChunked, simpleGlaParallel, simpleGlaRecurrent } from '../../reference/gla';
import type { LaShape } from '../../reference/linearAttention';
import { Rng } from '../../util/rng';
import { type LaInputsF32, laProgram, makeLaInputs } from './common';
import { type LaChunkedBuffers, laChunkedDispatches, laChunkedGpu } from './linearAttentionChunked';
import { type LaParallelBuffers, laParallelDispatch, laParallelGpu } from './linearAttentionParallel';
import { type LaRecurrentBuffers, laRecurrentDispatch, laRecurrentGpu } from './linearAttentionRecurrent';
import type { Program } from '../program';

export interface SimpleGlaParams extends LaShape {
  scale?: number;
  /** Chunk length of the chunked form. */
  chunk?: number;
  withInitialState?: boolean;
  /** Seeded log-decays are uniform in (gMin, 0]; default −0.5. */
  gMin?: number;
}
export interface SimpleGlaInputs extends LaInputsF32 {
  g: Float32Array; // (B, T, H) ≤ 0
}

export function makeSimpleGlaInputs(p: SimpleGlaParams, seed: number): SimpleGlaInputs {
  const base = makeLaInputs(p, seed);
  const g = new Rng(seed ^ 0x5bd1e995).uniforms(p.B * p.T * p.H, p.gMin ?? -0.5, 0);
  return { ...base, g };
}

type Plan = LaShape & { scale: number; hasS0: boolean };

/** The recurrence with the scalar gate in `b.gate` (B, T, H). */
export const simpleGlaRecurrentDispatch = (gpu: Gpu, scope: BufferScope, p: Plan, b: LaRecurrentBuffers) =>
  laRecurrentDispatch(gpu, scope, { ...p, gate: 1 }, b);

/** The chunked form with g (B, T, H) bound: gate cumsum, chunk states, state scan, outputs. */
export const simpleGlaChunkedDispatches = (
  gpu: Gpu,
  scope: BufferScope,
  p: Plan & { chunk: number; trace: boolean },
  b: LaChunkedBuffers & { g: GPUBuffer },
): Promise<Dispatch[]> => laChunkedDispatches(gpu, scope, { ...p, decay: true }, b);

/** The quadratic form with masked segment sums of g, writing attn (B, H, T, T). */
export const simpleGlaParallelDispatch = (
  gpu: Gpu,
  scope: BufferScope,
  p: LaShape & { scale: number; trace: boolean },
  b: LaParallelBuffers,
) =>
  laParallelDispatch(
    gpu,
    scope,
    'linearAttentionParallel',
    { ...p, decay: 3, attn: true, headMajor: false },
    b,
  );

export const simpleGlaRecurrentProgram = laProgram<SimpleGlaParams, SimpleGlaInputs>({
  id: 'simpleGlaRecurrent',
  title: 'Simple GLA, recurrent form S_t = e^{g_t} S_{t−1} + k_t v_tᵀ',
  makeInputs: makeSimpleGlaInputs,
  reference: (p, x) => simpleGlaRecurrent(p, x, p.scale),
  gpu: (gpu, p, x, opts) => laRecurrentGpu(gpu, p, x, { scale: p.scale, time: opts.time }),
});

export const simpleGlaChunkedProgram = laProgram<SimpleGlaParams, SimpleGlaInputs>({
  id: 'simpleGlaChunked',
  title: 'Simple GLA, chunked form',
  makeInputs: makeSimpleGlaInputs,
  reference: (p, x) => simpleGlaChunked(p, x, p.chunk ?? 64, p.scale),
  gpu: (gpu, p, x, opts) => laChunkedGpu(gpu, p, x, { scale: p.scale, chunk: p.chunk, ...opts }),
});

export const simpleGlaParallelProgram: Program<
  SimpleGlaParams,
  SimpleGlaInputs,
  { o: Float32Array | Float64Array; attn: Float32Array | Float64Array }
> = {
  id: 'simpleGlaParallel',
  title: 'Simple GLA, parallel form (s·QKᵀ ⊙ e^{G_t − G_s}) V',
  makeInputs: (p, seed) => ({ ...makeSimpleGlaInputs(p, seed), initialState: null }),
  reference: (p, x) => simpleGlaParallel(p, x, p.scale),
  async run(gpu, p, x, opts = {}) {
    const r = await laParallelGpu(
      gpu,
      p,
      { ...x, initialState: null },
      { scale: p.scale, attn: true, ...opts },
    );
    const outputs = { o: r.o, attn: r.attn ?? new Float32Array(0) };
    return { outputs, gpuMs: r.gpuMs, trace: r.trace, dispatches: r.dispatches };
  },
  tolerance: 1e-4,
};
