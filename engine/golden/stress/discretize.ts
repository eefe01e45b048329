// Stress cases for HiPPO-LegS (its closed form) and discretization (ZOH and bilinear: dense by Taylor expm
// and Gaussian elimination, diagonal real and complex by their scalar formulas), never from the engine.

import { Rng, type StressCase, real, cplx, f, vals, unif, type Cx, cmul, cdiv, cexp, mk } from './common';
import { legs, discDense } from './linalg';

/** HiPPO-LegS rounded to float32, for use as an input (golden inputs are float32-exact). */
export function legs32(N: number) {
  const { A, B } = legs(N);
  return { A: Float64Array.from(A, f), B: Float64Array.from(B, f) };
}

export function hippoCases(): StressCase[] {
  return [13, 64, 128].map((N) => {
    const { A, B } = legs(N);
    return mk(
      'hippo_legs',
      `hippo_legs_N${N}`,
      0,
      'HiPPO-LegS by its closed form',
      { N },
      {},
      {
        A: real([N, N], A),
        B: real([N], B),
      },
    );
  });
}

export function discretizeCases(disc: 'zoh' | 'bilinear'): StressCase[] {
  const out: StressCase[] = [];
  const fn = `discretize_${disc}`;
  for (const [N, dt] of [
    [7, f(0.1)],
    [64, f(0.01)],
  ]) {
    const { A, B } = legs32(N);
    const { Abar, Bbar } = discDense(A, B, N, dt, disc);
    out.push(
      mk(
        fn,
        `${fn}_dense_hippo${N}`,
        1000,
        'dense',
        { dt },
        { A: real([N, N], A), B: real([N], B) },
        {
          Abar: real([N, N], Abar),
          Bbar: real([N], Bbar),
        },
      ),
    );
  }
  {
    const r = new Rng(1001);
    const N = 5;
    const dt = f(0.03);
    const Are = unif(r, N, -2, -0.1);
    const Aim = vals(r, N, 3);
    const Bre = vals(r, N);
    const Bim = vals(r, N);
    const ar = new Float64Array(N);
    const ai = new Float64Array(N);
    const br = new Float64Array(N);
    const bi = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      const a: Cx = [Are[n], Aim[n]];
      const b: Cx = [Bre[n], Bim[n]];
      const dA: Cx = [dt * a[0], dt * a[1]];
      let Ab: Cx;
      let Bb: Cx;
      if (disc === 'zoh') {
        Ab = cexp(dA);
        Bb = cmul(cdiv([Ab[0] - 1, Ab[1]], a), b);
      } else {
        const den: Cx = [1 - dA[0] / 2, -dA[1] / 2];
        Ab = cdiv([1 + dA[0] / 2, dA[1] / 2], den);
        Bb = cdiv([b[0] * dt, b[1] * dt], den);
      }
      [ar[n], ai[n], br[n], bi[n]] = [Ab[0], Ab[1], Bb[0], Bb[1]];
    }
    out.push(
      mk(
        fn,
        `${fn}_diag_complex_N5`,
        1001,
        'diagonal complex',
        { dt },
        {
          A: cplx([N], Are, Aim),
          B: cplx([N], Bre, Bim),
        },
        { Abar: cplx([N], ar, ai), Bbar: cplx([N], br, bi) },
      ),
    );
  }
  {
    const r = new Rng(1002);
    const N = 6;
    const dt = f(0.02);
    const A = unif(r, N, -5, -0.1);
    const B = vals(r, N);
    const Ab = Float64Array.from(A, (a) =>
      disc === 'zoh' ? Math.exp(dt * a) : (1 + (dt * a) / 2) / (1 - (dt * a) / 2),
    );
    const Bb = Float64Array.from(A, (a, n) =>
      disc === 'zoh' ? ((Math.exp(dt * a) - 1) / a) * B[n] : (B[n] * dt) / (1 - (dt * a) / 2),
    );
    out.push(
      mk(
        fn,
        `${fn}_diag_real_N6`,
        1002,
        'diagonal real',
        { dt },
        { A: real([N], A), B: real([N], B) },
        {
          Abar: real([N], Ab),
          Bbar: real([N], Bb),
        },
      ),
    );
  }
  return out;
}
