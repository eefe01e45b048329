import { describe, expect, it } from 'vitest';
import { makeSsdInputs } from '../programs/ssd/ssdChunked';
import { Rng } from '../util/rng';
import { softplus } from './math';
import { segsum, ssdQuadratic, ssdRecurrent } from './ssd';
import { mamba2Combined, mamba2Discretize, ssdChunked } from './ssdChunked';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-10) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  let s = 1;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  expect(m).toBeLessThanOrEqual(tol * s);
};

/** simple GLA recurrence (fla naive_recurrent_simple_gla, scale 1): S_t = e^{g_t} S_{t−1} + k_t v_tᵀ, o_t = q_tᵀ S_t. */
function simpleGla(q: number[][], k: number[][], v: number[][], g: number[]): number[][] {
  const K = q[0].length;
  const V = v[0].length;
  const S = Array.from({ length: K }, () => new Array(V).fill(0));
  return q.map((qt, t) => {
    for (let i = 0; i < K; i++)
      for (let j = 0; j < V; j++) S[i][j] = Math.exp(g[t]) * S[i][j] + k[t][i] * v[t][j];
    return Array.from({ length: V }, (_, j) => qt.reduce((acc, qi, i) => acc + qi * S[i][j], 0));
  });
}

describe('SSD references in float64', () => {
  it('segsum equals the sum over k = j+1..i with −inf above the diagonal for T=9 and 3 rows', () => {
    const R = 3;
    const T = 9;
    const x = new Rng(1).normals(R * T);
    const out = segsum(x, R, T);
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < T; i++) {
        for (let j = 0; j < T; j++) {
          const v = out[(r * T + i) * T + j];
          if (j > i) expect(v).toBe(Number.NEGATIVE_INFINITY);
          else {
            let s = 0;
            for (let k = j + 1; k <= i; k++) s += x[r * T + k];
            expect(v).toBeCloseTo(s, 12);
          }
        }
      }
    }
  });

  it('segsum stays finite and exact where cumulative sums would cancel (T=2000, x = −50)', () => {
    const T = 2000;
    const out = segsum(new Float64Array(T).fill(-50), 1, T);
    expect(out[(T - 1) * T + (T - 2)]).toBe(-50);
    expect(out[(T - 1) * T]).toBe(-50 * (T - 1));
  });

  for (const [Q, withInit] of [
    [64, false],
    [17, true],
    [300, true],
  ] as const) {
    it(`chunked SSD equals the quadratic form and the recurrence for T=300, chunk=${Q}, initial state ${withInit}`, () => {
      const p = { batch: 2, T: 300, H: 3, P: 5, N: 7, G: 1, Q, withInit };
      const x = makeSsdInputs(p, 11);
      const rec = ssdRecurrent(p, x);
      const ch = ssdChunked(p, Q, x);
      close(ch.Y, rec.Y);
      close(ch.finalState, rec.finalState);
      if (!withInit) close(ssdQuadratic(p, x), rec.Y);
    });
  }

  it('groups: head h reads B/C group h / (H/G) (H=4, G=2 equals B/C repeated per head)', () => {
    const p = { batch: 1, T: 23, H: 4, P: 2, N: 3, G: 2, Q: 5 };
    const x = makeSsdInputs(p, 5);
    const rep = (a: Float32Array) => {
      const out = new Float64Array(p.T * p.H * p.N);
      for (let t = 0; t < p.T; t++)
        for (let h = 0; h < p.H; h++)
          for (let n = 0; n < p.N; n++) out[(t * p.H + h) * p.N + n] = a[(t * p.G + (h >> 1)) * p.N + n];
      return out;
    };
    const grouped = ssdChunked(p, p.Q, x).Y;
    const perHead = ssdRecurrent({ ...p, G: p.H }, { ...x, B: rep(x.B), C: rep(x.C) }).Y;
    close(grouped, perHead);
  });

  it('the Mamba-2 op equals the recurrence with Δ = softplus(dt + dt_bias), including dt + dt_bias > 20', () => {
    const d = { batch: 1, T: 37, H: 2, P: 3, N: 4, G: 1 };
    const rng = new Rng(9);
    const x = {
      x: rng.normals(37 * 2 * 3),
      dt: rng.uniforms(37 * 2, 15, 30),
      A: Float32Array.of(-0.02, -0.05),
      B: rng.normals(37 * 4, 0.5),
      C: rng.normals(37 * 4, 0.5),
      D: Float32Array.of(0.5, -1),
      z: rng.normals(37 * 2 * 3),
      dtBias: Float32Array.of(0.5, -2),
    };
    const { dt } = mamba2Discretize(d, x, true);
    expect(dt.some((v, i) => x.dt[i] + x.dtBias[i % 2] > 20 && v === x.dt[i] + x.dtBias[i % 2])).toBe(true);
    const out = mamba2Combined(d, 8, x, true);
    for (let t = 0; t < d.T; t++) {
      for (let h = 0; h < d.H; h++) {
        const del = softplus(x.dt[t * 2 + h] + x.dtBias[h]);
        expect(dt[t * 2 + h]).toBeCloseTo(del, 10);
      }
    }
    const Xs = new Float64Array(37 * 6).map((_, i) => x.x[i] * dt[Math.floor(i / 3)]);
    const As = new Float64Array(37 * 2).map((_, i) => x.A[i % 2] * dt[i]);
    const y = ssdRecurrent(d, { X: Xs, A: As, B: x.B, C: x.C }).Y;
    const want = y.map((v, i) => {
      const h = Math.floor(i / 3) % 2;
      const zz = x.z[i];
      return (v + x.D[h] * x.x[i]) * (zz / (1 + Math.exp(-zz)));
    });
    close(out, want);
  });

  it('SSD equals simple GLA with q=C, k=B, v=X, g=A, scale 1 (T=29, N=4, P=3)', () => {
    const p = { batch: 1, T: 29, H: 1, P: 3, N: 4, G: 1, Q: 8 };
    const x = makeSsdInputs(p, 21);
    const row = (a: ArrayLike<number>, w: number) =>
      Array.from({ length: p.T }, (_, t) => Array.from(a).slice(t * w, t * w + w));
    const o = simpleGla(row(x.C, p.N), row(x.B, p.N), row(x.X, p.P), Array.from(x.A));
    close(ssdChunked(p, p.Q, x).Y, o.flat());
  });
});
