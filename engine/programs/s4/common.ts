// Small helpers shared by the S4-family programs: complex host arrays interleaved for vec2<f32> buffers,
// and 1-D grids folded into x and y so large counts respect maxComputeWorkgroupsPerDimension.

import type { Gpu } from '../../gpu/device';

/** A complex array as separate real and imaginary parts (the golden {data, imag} shape). */
export interface Complex {
  data: ArrayLike<number>;
  imag?: ArrayLike<number>;
}

export function interleave(c: Complex): Float32Array {
  const n = c.data.length;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = c.data[i];
    out[2 * i + 1] = c.imag ? c.imag[i] : 0;
  }
  return out;
}

export function deinterleave(v: Float32Array): { data: Float32Array; imag: Float32Array } {
  const n = v.length / 2;
  const data = new Float32Array(n);
  const imag = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    data[i] = v[2 * i];
    imag[i] = v[2 * i + 1];
  }
  return { data, imag };
}

/** Workgroups for `count` invocations of size `wg`, folded into (x, y); rowStride = x * wg. */
export function fold(gpu: Gpu, count: number, wg: number) {
  const groups = Math.max(1, Math.ceil(count / wg));
  const gx = Math.min(groups, gpu.limits.maxComputeWorkgroupsPerDimension);
  const gy = Math.ceil(groups / gx);
  return { workgroups: [gx, gy] as [number, number], rowStride: gx * wg };
}
