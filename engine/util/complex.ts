// Complex host arrays for vec2<f32> buffers: the golden {data, imag} shape interleaved (re, im, re, im …)
// and back. Shared by every family that uploads complex tensors (S4D, diagonal scans, Mamba's complex A).

/** A complex array as separate real and imaginary parts (imag absent: real). */
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

/** Splits a (…, 2) interleaved array into real and imaginary parts, in the array type asked for. */
export function deinterleave<T extends Float32Array | Float64Array = Float32Array>(
  v: ArrayLike<number>,
  make: (n: number) => T = (n) => new Float32Array(n) as T,
): { data: T; imag: T } {
  const n = Math.floor(v.length / 2);
  const data = make(n);
  const imag = make(n);
  for (let i = 0; i < n; i++) {
    data[i] = v[2 * i];
    imag[i] = v[2 * i + 1];
  }
  return { data, imag };
}
