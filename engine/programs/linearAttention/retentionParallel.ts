// retentionParallel: RetNet's parallel retention o = ((q d^{-1/2}) Kᵀ ⊙ D) V, D[n,m] = γ_h^{n−m}, layout
// (b, h, t, d), on the quadratic linear-attention kernel with the constant decay computed in the kernel.

import type { Gpu } from '../../gpu/device';
import { retentionParallel } from '../../reference/gla';
import { defaultScale } from '../../reference/linearAttention';
import { Rng } from '../../util/rng';
import { laParallelGpu } from './linearAttentionParallel';
import type { Program, RunOptions } from '../program';

export interface RetentionParams {
  B: number;
  H: number;
  T: number;
  K: number;
  V: number;
}
export interface RetentionInputs {
  q: Float32Array; // (B, H, T, K)
  k: Float32Array; // (B, H, T, K)
  v: Float32Array; // (B, H, T, V)
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
    const r = await retentionParallelGpu(gpu, p, x, opts);
    return { outputs: { o: r.o }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
