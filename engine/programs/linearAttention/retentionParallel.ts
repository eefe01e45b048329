// retentionParallel: RetNet's parallel retention o = ((q d^{-1/2}) Kᵀ ⊙ D) V, D[n,m] = γ_h^{n−m}, layout
// (b, h, t, d), on the quadratic linear-attention kernel with the constant decay computed in the kernel.

import type { Gpu } from '../../gpu/device';
import type { BufferScope } from '../../gpu/tensor';
import { retentionParallel } from '../../reference/gla';
import { defaultScale, type LaShape } from '../../reference/linearAttention';
import type { LaQkv } from './common';
import { Rng } from '../../util/rng';
import { type LaParallelBuffers, laParallelDispatch, laParallelGpu } from './linearAttentionParallel';
import type { Program, RunOptions } from '../program';

/** The linear-attention sizes; the tensors are head-major. */
export type RetentionParams = LaShape;
/** q, k (B, H, T, K) and v (B, H, T, V): RetNet's (b, h, t, d) layout. */
export type RetentionInputs = LaQkv;

/** Retention on given buffers, all (B, H, T, ·); `b.g` and `b.attn` are placeholders. */
export function retentionParallelDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: RetentionParams & { trace: boolean },
  b: LaParallelBuffers,
) {
  const plan = { ...p, scale: defaultScale(p.K), decay: 2, attn: false, headMajor: true } as const;
  return laParallelDispatch(gpu, scope, 'retentionParallel', plan, b);
}

export async function retentionParallelGpu(
  gpu: Gpu,
  p: RetentionParams,
  x: RetentionInputs,
  opts: RunOptions = {},
) {
  return laParallelGpu(gpu, p, x, { ...opts, scale: defaultScale(p.K), retention: true });
}

export const retentionParallelProgram: Program<
  RetentionParams,
  RetentionInputs,
  { o: Float32Array | Float64Array }
> = {
  id: 'retentionParallel',
  title: 'RetNet retention, parallel form',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return {
      q: rng.normals(p.B * p.H * p.T * p.K),
      k: rng.normals(p.B * p.H * p.T * p.K),
      v: rng.normals(p.B * p.H * p.T * p.V),
    };
  },
  reference: (p, x) => ({ o: retentionParallel(p, x.q, x.k, x.v) }),
  async run(gpu, p, x, opts = {}) {
    const { o, gpuMs, trace, dispatches } = await retentionParallelGpu(gpu, p, x, opts);
    return { outputs: { o }, gpuMs, trace, dispatches };
  },
  tolerance: 1e-4,
};
