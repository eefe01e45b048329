// HiPPO-LegS matrices (state-spaces/s4 `transition('legs', N)`), in closed form, float64.
// The NPLR/DPLR decompositions beyond the rank-1 correction are left out.

/** A (N,N): -sqrt((2n+1)(2k+1)) below the diagonal, -(n+1) on it, 0 above; B (N,) = sqrt(2n+1). */
export function hippoLegs(N: number): { A: Float64Array; B: Float64Array } {
  if (!Number.isInteger(N) || N < 1) throw new Error(`hippo_legs: N must be an integer >= 1 (got ${N})`);
  const A = new Float64Array(N * N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1);
    for (let k = 0; k <= n; k++) A[n * N + k] = n === k ? -(n + 1) : -Math.sqrt((2 * n + 1) * (2 * k + 1));
  }
  return { A, B };
}

/** The LegS rank-1 correction P (1,N) = sqrt(n + 1/2): A + PᵀP is -I/2 plus a skew-symmetric matrix. */
export function hippoLegsRankCorrection(N: number): Float64Array {
  if (!Number.isInteger(N) || N < 1) throw new Error(`hippo_legs_rank_correction: N must be >= 1 (got ${N})`);
  return Float64Array.from({ length: N }, (_, n) => Math.sqrt(n + 0.5));
}
