// Simple GLA programs (a scalar log-decay g ≤ 0 per head and step): the recurrent, chunked and parallel
// forms, on the same GPU kernels as linear attention with the decay switched on.

import { simpleGlaChunked, simpleGlaParallel, simpleGlaRecurrent } from '../../reference/gla';
import type { LaShape } from '../../reference/linearAttention';
import { laChunkedGpu } from './linearAttentionChunked';
import { laParallelGpu } from './linearAttentionParallel';
import { type LaOutputsHost, laRecurrentGpu, makeLaInputs } from './linearAttentionRecurrent';
import type { Program } from '../program';
import { Rng } from '../../util/rng';

export interface SimpleGlaParams extends LaShape {
  scale?: number;
  /** Chunk length of the chunked form. */
  chunk?: number;
  withInitialState?: boolean;
  /** Seeded log-decays are uniform in (gMin, 0]; default −0.5. */
  gMin?: number;
}
export interface SimpleGlaInputs {
  q: Float32Array; // (B, T, H, K)
  k: Float32Array; // (B, T, H, K)
  v: Float32Array; // (B, T, H, V)
  g: Float32Array; // (B, T, H) ≤ 0
  initialState: Float32Array | null; // (B, H, K, V)
}

export function makeSimpleGlaInputs(p: SimpleGlaParams, seed: number): SimpleGlaInputs {
  const base = makeLaInputs(p, seed);
  const g = new Rng(seed ^ 0x5bd1e995).uniforms(p.B * p.T * p.H, p.gMin ?? -0.5, 0);
  return { ...base, g };
}

export const simpleGlaRecurrentProgram: Program<SimpleGlaParams, SimpleGlaInputs, LaOutputsHost> = {
  id: 'simpleGlaRecurrent',
  title: 'Simple GLA, recurrent form S_t = e^{g_t} S_{t−1} + k_t v_tᵀ',
  makeInputs: makeSimpleGlaInputs,
  reference: (p, x) => simpleGlaRecurrent(p, x, p.scale),
  async run(gpu, p, x, opts = {}) {
    const r = await laRecurrentGpu(gpu, p, x, { scale: p.scale, time: opts.time });
    return { outputs: { o: r.o, finalState: r.finalState }, gpuMs: r.gpuMs, trace: null };
  },
  tolerance: 1e-4,
};

export const simpleGlaChunkedProgram: Program<SimpleGlaParams, SimpleGlaInputs, LaOutputsHost> = {
  id: 'simpleGlaChunked',
  title: 'Simple GLA, chunked form',
  makeInputs: makeSimpleGlaInputs,
  reference: (p, x) => simpleGlaChunked(p, x, p.chunk ?? 64, p.scale),
  async run(gpu, p, x, opts = {}) {
    const r = await laChunkedGpu(gpu, p, x, { scale: p.scale, chunk: p.chunk, ...opts });
    return { outputs: { o: r.o, finalState: r.finalState }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};

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
    return { outputs: { o: r.o, attn: r.attn ?? new Float32Array(0) }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
