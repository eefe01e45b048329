// CPU reference for causal convolutions in the S4 convention: y_k = sum_{j<=k} K_j u_{k-j}
// (K_0 multiplies the current input). Direct O(L^2); float64.

/** K (H, L), u (B, H, L) -> y (B, H, L); H channels each with their own kernel. */
export function causalConv(
  K: ArrayLike<number>,
  u: ArrayLike<number>,
  B: number,
  H: number,
  L: number,
): Float64Array {
  const y = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const uo = (b * H + h) * L;
      const ko = h * L;
      for (let k = 0; k < L; k++) {
        let s = 0;
        for (let j = 0; j <= k; j++) s += K[ko + j] * u[uo + k - j];
        y[uo + k] = s;
      }
    }
  }
  return y;
}
