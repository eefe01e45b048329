// segsum: the stable segment sum of Mamba-2's ssd_minimal, x (R, T) -> (R, T, T) with −inf above the
// diagonal; one invocation per output row (r, i) walks a running masked sum over a folded grid. Leading
// axes are flattened into R.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { segsum } from '../../reference/ssd';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { elementDispatch, elementKernel, readSlice } from './common';

export interface SegsumParams {
  R: number;
  T: number;
}

export const segsumKernel = (gpu: Gpu) => elementKernel(gpu, 'segsum.rows', ['ssd/segsum.wgsl']);

/** out (R, T, T) from x (R, T), on the given buffers. */
export async function segsumDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SegsumParams,
  b: { x: GPUBuffer; out: GPUBuffer },
): Promise<Dispatch> {
  return elementDispatch(gpu, scope, await segsumKernel(gpu), { R: p.R, T: p.T, count: p.R * p.T }, b);
}

export async function segsumGpu(gpu: Gpu, p: SegsumParams, x: Float32Array, opts: RunOptions = {}) {
  if (!Number.isInteger(p.R) || !Number.isInteger(p.T) || p.R < 1 || p.T < 1) {
    throw new EngineError('segsum', `R and T must be integers >= 1, got R=${p.R}, T=${p.T}`);
  }
  if (x.length !== p.R * p.T)
    throw new EngineError('segsum', `x has ${x.length} values, want R·T = ${p.R * p.T}`);
  const scope = new BufferScope(gpu, 'segsum');
  try {
    const n = p.R * p.T * p.T;
    const b = { x: scope.upload('x', x), out: scope.storage('out', n * 4) };
    const { gpuMs, dispatches } = await runDispatches(
      gpu,
      'segsum',
      [await segsumDispatch(gpu, scope, p, b)],
      {
        time: opts.time,
      },
    );
    return { out: await readSlice(gpu, scope, b.out, 0, n), gpuMs, dispatches };
  } finally {
    scope.release();
  }
}

export const segsumProgram: Program<SegsumParams, { x: Float32Array }, { out: Host }> = {
  id: 'segsum',
  title: 'Stable segment sum of log-decays',
  makeInputs: (p, seed) => ({ x: new Rng(seed).uniforms(p.R * p.T, -1, 0) }),
  reference: (p, x) => ({ out: segsum(x.x, p.R, p.T) }),
  async run(gpu, p, x, opts = {}) {
    const { out, gpuMs, dispatches } = await segsumGpu(gpu, p, x.x, opts);
    return { outputs: { out }, gpuMs, trace: null, dispatches };
  },
  tolerance: 1e-4,
};
