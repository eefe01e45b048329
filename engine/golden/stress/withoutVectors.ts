// Stress cases for the README functions without golden vectors (make_hippo_annotated,
// hippo_legs_rank_correction, expm, softplus, silu, inv_softplus). Their input/output names are guesses
// (M, x, y; A, P, out) in the style of the other cases; expected values from closed forms and Taylor expm.

import { type StressCase, mk, Rng, real, silu, softplus, unif, vals } from './common';
import { expmTaylor, legs } from './linalg';

export function withoutVectorsCases(): StressCase[] {
  const out: StressCase[] = [];
  for (const N of [1, 17]) {
    out.push(
      mk(
        'make_hippo_annotated',
        `make_hippo_annotated_N${N}`,
        0,
        'HiPPO-LegS A',
        { N },
        {},
        { A: real([N, N], legs(N).A) },
      ),
    );
    const P = Float64Array.from({ length: N }, (_, n) => Math.sqrt(n + 0.5));
    out.push(
      mk(
        'hippo_legs_rank_correction',
        `hippo_legs_rank_correction_N${N}`,
        0,
        'P = sqrt(n + 1/2)',
        { N },
        {},
        { P: real([1, N], P) },
      ),
    );
  }
  for (const [n, scale, seed] of [
    [9, 2, 2100],
    [40, 0.5, 2101],
  ]) {
    const M = vals(new Rng(seed), n * n, scale / Math.sqrt(n));
    out.push(
      mk(
        'expm',
        `expm_n${n}`,
        seed,
        'matrix exponential',
        {},
        { M: real([n, n], M) },
        { out: real([n, n], expmTaylor(M, n)) },
      ),
    );
  }
  const r = new Rng(2102);
  const x = vals(r, 1001, 8);
  for (let i = 0; i < x.length; i += 50) x[i] = Math.fround(20 + (i % 7) - 3);
  // The two activations on the same 1001 values.
  for (const [fn, semantics, act] of [
    ['softplus', 'torch softplus, threshold 20', softplus],
    ['silu', 'x sigmoid(x)', silu],
  ] as const) {
    const y = x.map((v) => act(v));
    out.push(mk(fn, `${fn}_1001`, 2102, semantics, {}, { x: real([7, 143], x) }, { out: real([7, 143], y) }));
  }
  const y = unif(r, 333, 1e-4, 30);
  const inv = y.map((v) => v + Math.log(-Math.expm1(-v)));
  out.push(
    mk(
      'inv_softplus',
      'inv_softplus_333',
      2102,
      'y + log(-expm1(-y))',
      {},
      { y: real([333], y) },
      { out: real([333], inv) },
    ),
  );
  return out;
}
