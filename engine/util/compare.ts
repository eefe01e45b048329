// Error measures shared by the golden runner, the tests and the live checks on screen.
// Non-finite values match only themselves: +inf equals +inf (error 0), inf vs a number is an infinite error.

export type Numeric = ArrayLike<number>;

export function maxAbs(a: Numeric): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

export function maxAbsDiff(got: Numeric, want: Numeric): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) return Number.POSITIVE_INFINITY;
      continue;
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) return Number.POSITIVE_INFINITY;
      continue;
    }
    const d = Math.abs(g - w);
    if (d > m) m = d;
  }
  return m;
}

/** The golden criterion: max|got - want| <= rel * max(1, max|want|). Returns [error, bound]. */
export function relCheck(
  got: Numeric,
  want: Numeric,
  rel: number,
): { err: number; bound: number; ok: boolean } {
  const err = maxAbsDiff(got, want);
  const bound = rel * Math.max(1, maxAbs(want));
  return { err, bound, ok: err <= bound };
}
