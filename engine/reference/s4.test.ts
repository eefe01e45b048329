import { describe, expect, it } from 'vitest';
import { relCheck } from '../util/compare';
import { Rng } from '../util/rng';
import { causalConv } from './conv';
import { discretizeBilinearDense, discretizeZohDense } from './discretize';
import { fft, fftConv } from './fft';
import { hippoLegs, hippoLegsRankCorrection } from './hippo';
import { expm, identity, matmul, solve } from './linalg';
import { s4KernelDense, s4Pipeline, ssmScanDense } from './s4';

const close = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-10) => {
  const r = relCheck(got, want, rel);
  expect(r.err, `err ${r.err} > bound ${r.bound}`).toBeLessThanOrEqual(r.bound);
};

function taylorExpm(M: Float64Array, n: number): Float64Array {
  // e^M = (e^{M/2^8})^{2^8} with a 30-term Taylor series: an independent check of the Padé path.
  const X = M.map((v) => v / 256);
  let term = identity(n);
  const out = identity(n);
  for (let k = 1; k < 30; k++) {
    term = matmul(term, X, n).map((v) => v / k);
    for (let i = 0; i < n * n; i++) out[i] += term[i];
  }
  let R = out;
  for (let s = 0; s < 8; s++) R = matmul(R, R, n);
  return R;
}

describe('S4 references (float64)', () => {
  it('computes expm by Padé-13 equal to a Taylor expm for a HiPPO-scaled 11x11 matrix', () => {
    const { A } = hippoLegs(11);
    const M = A.map((v) => 0.3 * v);
    close(expm(M, 11), taylorExpm(M, 11), 1e-11);
  });

  it('solves with partial pivoting where the first pivot is zero', () => {
    const X = solve([0, 1, 1, 0], [2, 3], 2, 1);
    close(X, [3, 2], 1e-15);
    expect(() => solve([1, 2, 2, 4], [1, 1], 2, 1)).toThrow(/singular/);
  });

  it('has A + PᵀP equal to −I/2 plus a skew-symmetric matrix for HiPPO-LegS N=9', () => {
    const N = 9;
    const { A } = hippoLegs(N);
    const P = hippoLegsRankCorrection(N);
    const S = A.map((v, i) => v + P[Math.floor(i / N)] * P[i % N] + (Math.floor(i / N) === i % N ? 0.5 : 0));
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) expect(S[i * N + j] + S[j * N + i]).toBeCloseTo(0, 12);
  });

  it('gets ZOH B̄ equal to A⁻¹(Ā − I)B (N=6, dt=0.2)', () => {
    const { A, B } = hippoLegs(6);
    const { Abar, Bbar } = discretizeZohDense(A, B, 0.2);
    const AmI = Abar.map((v, i) => v - (Math.floor(i / 6) === i % 6 ? 1 : 0));
    close(
      Bbar,
      solve(
        A,
        matmul(
          AmI,
          Float64Array.from({ length: 36 }, (_, i) => (i % 6 === 0 ? B[i / 6] : 0)),
          6,
        ),
        6,
        6,
      ).filter((_, i) => i % 6 === 0),
      1e-12,
    );
  });

  it('has the scan equal the convolution with the Krylov kernel (N=7, L=203, bilinear)', () => {
    const { A, B } = hippoLegs(7);
    const { Abar, Bbar } = discretizeBilinearDense(A, B, 0.04);
    const rng = new Rng(1);
    const C = rng.normals(7);
    const u = rng.normals(203);
    const K = s4KernelDense(Abar, Bbar, C, 203);
    close(ssmScanDense(Abar, Bbar, C, u).y, causalConv(K, u, 1, 1, 203));
    close(s4Pipeline(A, B, C, u, 0.04, 203, 'bilinear').y, ssmScanDense(Abar, Bbar, C, u).y);
  });

  it('computes the FFT equal to the DFT (n=16) and FFT convolution equal to direct at L=300, H=2, B=2', () => {
    const rng = new Rng(3);
    const x = { re: Float64Array.from(rng.normals(16)), im: Float64Array.from(rng.normals(16)) };
    const X = fft(x);
    for (const k of [0, 3, 15]) {
      let re = 0;
      for (let j = 0; j < 16; j++)
        re +=
          x.re[j] * Math.cos((-2 * Math.PI * j * k) / 16) - x.im[j] * Math.sin((-2 * Math.PI * j * k) / 16);
      expect(X.re[k]).toBeCloseTo(re, 10);
    }
    const K = rng.normals(600);
    const u = rng.normals(1200);
    close(fftConv(K, u, 2, 2, 300), causalConv(K, u, 2, 2, 300));
  });

  it('refuses bad sizes and step sizes with messages naming them', () => {
    const { A, B } = hippoLegs(3);
    expect(() => hippoLegs(0)).toThrow(/N must be/);
    expect(() => discretizeZohDense(A, B, -1)).toThrow(/dt must be/);
    expect(() => discretizeBilinearDense([20, 0, 0, 20], [1, 1], 0.1)).toThrow(/singular/);
    expect(() => s4KernelDense(A, B, B, 0)).toThrow(/L must be/);
  });
});
