// Elementwise softplus (torch threshold 20), silu and inv_softplus on the GPU, with their float64
// references; used by the golden adapters of those README functions and by chains (the SiLU between the
// Mamba block's conv1d and its selective scan). Any length; no trace.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { modeKernel } from '../../gpu/elementwise';
import type { Dispatch, Kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import { silu, softplus } from '../../reference/math';
import type { RunOptions } from '../program';
import type { GpuRun } from './common';

export type Activation = 'softplus' | 'silu' | 'inv_softplus';
const MODES: Record<Activation, number> = { softplus: 0, silu: 1, inv_softplus: 2 };
const WG = 64;

/** inv_softplus(y) = y + log(−expm1(−y)): the x with softplus(x) = y (y > 0). */
export function invSoftplus(y: number): number {
  return y + Math.log(-Math.expm1(-y));
}

export function activationReference(act: Activation, x: ArrayLike<number>): Float64Array {
  const f = act === 'softplus' ? softplus : act === 'silu' ? silu : invSoftplus;
  return Float64Array.from(x, f);
}

const SPEC = { owner: 'activation', file: 'mamba/activations.wgsl', modes: MODES, WG };
export const activationKernel = (gpu: Gpu, act: Activation): Promise<Kernel> =>
  modeKernel(gpu, { ...SPEC, label: `activation.${act}.map` }, act);

/**
 * y[i] = act(x[i]) for i < n on buffers it is given (y may be longer than n: the rest is untouched, so
 * a chain can write u straight into the front of the selective scan's packed seq buffer).
 */
export async function activationDispatch(
  gpu: Gpu,
  scope: BufferScope,
  act: Activation,
  n: number,
  b: { x: GPUBuffer; y: GPUBuffer },
): Promise<Dispatch> {
  const k = await activationKernel(gpu, act);
  const params = uniformFor(scope, k, { n });
  return {
    kernel: k,
    bindings: { p: params.buffer, x: b.x, y: b.y },
    workgroups: gridForInvocations(gpu, `activation.${act}`, n, WG).workgroups,
  };
}

export async function activationGpu(
  gpu: Gpu,
  act: Activation,
  x: Float32Array,
  opts: RunOptions = {},
): Promise<{ y: Float32Array } & GpuRun> {
  if (!(act in MODES)) throw new EngineError('activation', `unknown activation ${act}`);
  if (x.length === 0) return { y: new Float32Array(0), gpuMs: null, dispatches: [] };
  return runAndRead<'y'>(
    gpu,
    `activation.${act}`,
    async (scope) => {
      const y = scope.storage('y', x.length * 4);
      return {
        dispatches: [await activationDispatch(gpu, scope, act, x.length, { x: scope.upload('x', x), y })],
        read: { y: [y, x.length] },
      };
    },
    opts.time,
  );
}
