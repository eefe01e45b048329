// Radix-2 Stockham complex FFT in float64 and the causal convolution through it (zero-padded to the next
// power of two >= 2L, so the circular product equals the linear one). No real-input packing, no other radix.

import type { CVec } from './discretize';

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** In-order DFT of x (length a power of two), sign -1 (forward) or +1 (inverse, unscaled). */
export function fft(x: CVec, sign: -1 | 1 = -1): CVec {
  const n = x.re.length;
  if (n & (n - 1)) throw new Error(`fft: length ${n} is not a power of two`);
  let a = { re: Float64Array.from(x.re), im: Float64Array.from(x.im) };
  let b = { re: new Float64Array(n), im: new Float64Array(n) };
  const half = n / 2;
  for (let p = 1; p < n; p *= 2) {
    for (let i = 0; i < half; i++) {
      const k = i & (p - 1);
      const ang = (sign * Math.PI * k) / p;
      const [wr, wi] = [Math.cos(ang), Math.sin(ang)];
      const [ur, ui] = [a.re[i], a.im[i]];
      const [vr0, vi0] = [a.re[i + half], a.im[i + half]];
      const vr = vr0 * wr - vi0 * wi;
      const vi = vr0 * wi + vi0 * wr;
      const j = 2 * i - k;
      b.re[j] = ur + vr;
      b.im[j] = ui + vi;
      b.re[j + p] = ur - vr;
      b.im[j + p] = ui - vi;
    }
    [a, b] = [b, a];
  }
  return a;
}

/** y (B,H,L) = K (H,L) * u (B,H,L) (causal, K_0 on the current input) + u·D[h] when D is given. */
export function fftConv(
  K: ArrayLike<number>,
  u: ArrayLike<number>,
  B: number,
  H: number,
  L: number,
  D?: ArrayLike<number> | null,
): Float64Array {
  const n = nextPow2(2 * L);
  const y = new Float64Array(B * H * L);
  const spec: CVec[] = [];
  for (let h = 0; h < H; h++) {
    const k = { re: new Float64Array(n), im: new Float64Array(n) };
    for (let l = 0; l < L; l++) k.re[l] = K[h * L + l];
    spec.push(fft(k));
  }
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      const x = { re: new Float64Array(n), im: new Float64Array(n) };
      for (let l = 0; l < L; l++) x.re[l] = u[o + l];
      const X = fft(x);
      const S = spec[h];
      const P = { re: new Float64Array(n), im: new Float64Array(n) };
      for (let i = 0; i < n; i++) {
        P.re[i] = X.re[i] * S.re[i] - X.im[i] * S.im[i];
        P.im[i] = X.re[i] * S.im[i] + X.im[i] * S.re[i];
      }
      const Y = fft(P, 1);
      for (let l = 0; l < L; l++) y[o + l] = Y.re[l] / n + (D ? D[h] * u[o + l] : 0);
    }
  }
  return y;
}
