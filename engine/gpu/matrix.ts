// What a kernel on the matrix units (WGSL's chromium-experimental-subgroup-matrix) needs from the device,
// shared by every such program (flashAttentionMatrix, ssdMatrix): 16×16×16 f16 → f32 matrices, shader-f16
// and one subgroup size of 32; the extensions its modules enable; the diagnostic they turn off (a
// subgroup's share of workgroup memory is uniform within the subgroup, not the workgroup).

import type { Gpu } from './device';

export const MATRIX_ENABLE = ['f16', 'subgroups', 'chromium_experimental_subgroup_matrix'] as const;
export const MATRIX_DIAGNOSTICS_OFF = ['chromium.subgroup_matrix_uniformity'] as const;

/** Why this device cannot run a matrix-unit kernel (null: it can). */
export function matrixUnfit(gpu: Pick<Gpu, 'features'>): string | null {
  const f = gpu.features;
  const shape = f.subgroupMatrix?.some(
    (c) => c.M === 16 && c.N === 16 && c.K === 16 && c.component === 'f16' && c.result === 'f32',
  );
  if (!shape) return 'the adapter offers no 16×16×16 f16 → f32 subgroup matrices';
  if (!f.shaderF16) return 'the device has no shader-f16';
  if (!f.subgroups || f.subgroupSize !== 32) return 'the kernel needs one subgroup size of 32';
  return null;
}
