// Elementwise softplus (torch threshold 20), silu and inv_softplus on the GPU, with their float64
// references; used by the golden adapters of those README functions. Any length; no trace.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { silu, softplus } from '../../reference/math';

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

export async function activationGpu(gpu: Gpu, act: Activation, x: Float32Array): Promise<Float32Array> {
  const label = `activation.${act}`;
  if (!(act in MODES)) throw new EngineError('activation', `unknown activation ${act}`);
  if (x.length === 0) return new Float32Array(0);
  const scope = new BufferScope(gpu, label);
  try {
    const k = await kernel(gpu, {
      label: `${label}.map`,
      sources: ['common/math.wgsl', 'mamba/activations.wgsl'],
      constants: { WG, MODE: MODES[act] },
    });
    const groups = Math.ceil(x.length / WG);
    const gx = Math.min(groups, gpu.limits.maxComputeWorkgroupsPerDimension);
    const gy = Math.ceil(groups / gx);
    const y = scope.storage('y', x.length * 4);
    const params = scope.uniform('params', [
      ['u32', x.length],
      ['u32', gx * WG],
    ]);
    await runDispatches(gpu, label, [
      { kernel: k, bindings: [params, scope.upload('x', x), y], workgroups: [gx, gy] },
    ]);
    return await readF32(gpu, y, x.length);
  } finally {
    scope.release();
  }
}
