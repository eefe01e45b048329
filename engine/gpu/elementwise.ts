// Elementwise kernels that pick their function by a MODE override (one module, one pipeline per mode): a
// family's file of act functions entered through common/perElement.wgsl, one invocation per element.

import type { Gpu } from './device';
import { EngineError } from './errors';
import { type Kernel, kernel } from './kernel';

/**
 * An elementwise kernel of `file` (common/perElement.wgsl's entry with common/math.wgsl and grid.wgsl, WG
 * invocations a workgroup) whose override MODE picks the function named `mode` in `modes`; an unknown name
 * is an EngineError of `owner`.
 */
export function modeKernel<M extends string>(
  gpu: Gpu,
  spec: { owner: string; label: string; file: string; modes: Readonly<Record<M, number>>; WG: number },
  mode: M,
): Promise<Kernel> {
  if (!(mode in spec.modes))
    throw new EngineError(spec.owner, `unknown mode ${mode} (${Object.keys(spec.modes).join(', ')})`);
  return kernel(gpu, {
    label: spec.label,
    sources: ['common/math.wgsl', 'common/grid.wgsl', spec.file, 'common/perElement.wgsl'],
    constants: { WG: spec.WG, MODE: spec.modes[mode] },
  });
}
