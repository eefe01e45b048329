// S4D (diagonal S4), float64: the Vandermonde kernel K[h,l] = 2 Re Σ_n C̃_n Ā_n^l for H channels of N2
// complex modes (conjugate pairs implicit, hence the 2), the minimal S4D kernel, its recurrent view, and
// the S4D convolution layer y = K * u + D u (the GELU and output projection are left out).

import { type CVec, type Disc, discretizeDiag } from './discretize';
import { fftConv } from './fft';
import { s4KernelDiag, ssmScanDiag } from './s4';

function row(x: CVec, h: number, n: number): CVec {
  return { re: x.re.subarray(h * n, (h + 1) * n), im: x.im.subarray(h * n, (h + 1) * n) };
}

function checkL(L: number, who: string): void {
  if (!Number.isInteger(L) || L < 1) throw new Error(`${who}: L must be an integer >= 1 (got ${L})`);
}

/** out[l] = Σ_n v_n exp(x_n l); 2·Re of it when conj. */
export function logVandermonde(v: CVec, x: CVec, L: number, conj = true): CVec {
  checkL(L, 'log_vandermonde');
  const out: CVec = { re: new Float64Array(L), im: new Float64Array(L) };
  for (let n = 0; n < v.re.length; n++) {
    for (let l = 0; l < L; l++) {
      const m = Math.exp(x.re[n] * l);
      const [er, ei] = [m * Math.cos(x.im[n] * l), m * Math.sin(x.im[n] * l)];
      out.re[l] += v.re[n] * er - v.im[n] * ei;
      out.im[l] += v.re[n] * ei + v.im[n] * er;
    }
  }
  if (conj) {
    for (let l = 0; l < L; l++) out.re[l] *= 2;
    out.im.fill(0);
  }
  return out;
}

/** A, B, C (H,N2) complex, dt (H,) -> K (H,L) = 2 Re Σ_n C_n B̄_n Ā_n^l. */
export function s4dKernel(A: CVec, B: CVec, C: CVec, dt: ArrayLike<number>, L: number, disc: Disc) {
  checkL(L, 's4d_kernel');
  const H = dt.length;
  const N2 = A.re.length / H;
  if (!Number.isInteger(N2) || B.re.length !== H * N2 || C.re.length !== H * N2)
    throw new Error('s4d_kernel: A, B, C must be (H,N2) with dt (H,)');
  const { Abar, Bbar } = discretizeDiag(A, B, dt, disc, N2);
  const K = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    const k = s4KernelDiag(row(Abar, h, N2), row(Bbar, h, N2), row(C, h, N2), L);
    for (let l = 0; l < L; l++) K[h * L + l] = 2 * k.re[l];
  }
  return K;
}

/** dt = e^{log_dt}, A = −e^{log_A_real} + i A_imag, B ≡ 1, ZOH. */
export function s4dMinimalKernel(
  logDt: ArrayLike<number>,
  C: CVec,
  logAReal: ArrayLike<number>,
  AImag: ArrayLike<number>,
  L: number,
) {
  const A: CVec = { re: Float64Array.from(logAReal, (v) => -Math.exp(v)), im: Float64Array.from(AImag) };
  const B: CVec = { re: new Float64Array(A.re.length).fill(1), im: new Float64Array(A.re.length) };
  return s4dKernel(A, B, C, Float64Array.from(logDt, Math.exp), L, 'zoh');
}

/** The recurrent view of s4d_kernel: u (Bt,H,L) -> y (Bt,H,L) = 2 Re(C x_k). */
export function s4dScan(
  A: CVec,
  B: CVec,
  C: CVec,
  dt: ArrayLike<number>,
  u: ArrayLike<number>,
  L: number,
  disc: Disc,
) {
  const H = dt.length;
  const N2 = A.re.length / H;
  const { Abar, Bbar } = discretizeDiag(A, B, dt, disc, N2);
  const y = new Float64Array(u.length);
  for (let r = 0; r < u.length / L; r++) {
    const h = r % H;
    const o = r * L;
    const s = ssmScanDiag(row(Abar, h, N2), row(Bbar, h, N2), row(C, h, N2), Array.from(u).slice(o, o + L));
    for (let l = 0; l < L; l++) y[o + l] = 2 * s.y.re[l];
  }
  return y;
}

/** u (Bt,H,L), K (H,L), D (H,) -> y = fftconv(u, K) + u·D. */
export function s4dConvLayer(
  u: ArrayLike<number>,
  K: ArrayLike<number>,
  D: ArrayLike<number>,
  Bt: number,
  H: number,
  L: number,
) {
  if (u.length !== Bt * H * L || K.length !== H * L || D.length !== H)
    throw new Error(`s4d_conv_layer: want u (${Bt},${H},${L}), K (${H},${L}), D (${H},)`);
  return fftConv(K, u, Bt, H, L, D);
}
