// The convolution view at output index t: the kernel K flipped and slid so that K_0 sits under x_t,
// K_1 under x_{t-1}, ... Pure arithmetic; the sum reproduces y_t = Σ_j K_j x_{t-j} + D x_t.

export interface Tap {
  /** Kernel index j. */
  j: number;
  /** Input index t - j. */
  i: number;
  weight: number;
  product: number;
}

export interface ConvWindow {
  t: number;
  taps: Tap[];
  /** K placed under the input: aligned[i] = K_{t-i} for i <= t, NaN after t. */
  aligned: Float64Array;
  /** Σ_j K_j x_{t-j} + D x_t, computed here in float64 from the displayed K and x. */
  y: number;
}

export function convWindow(K: ArrayLike<number>, x: ArrayLike<number>, D: number, t: number): ConvWindow {
  const L = x.length;
  if (!Number.isInteger(t) || t < 0 || t >= L) throw new RangeError(`t must be in 0..${L - 1}, got ${t}`);
  const taps: Tap[] = [];
  const aligned = new Float64Array(L).fill(Number.NaN);
  let y = D * x[t];
  for (let j = 0; j <= t && j < K.length; j++) {
    const i = t - j;
    const product = K[j] * x[i];
    taps.push({ j, i, weight: K[j], product });
    aligned[i] = K[j];
    y += product;
  }
  return { t, taps, aligned, y };
}
