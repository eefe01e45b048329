// The six models of the `intro` stage at small fixed widths, on one input: the reader's sentence as tokens,
// cycled to length L, each token with fixed seeded vectors for every role a model reads (x, q, k, v, Δ, B,
// C). Here: the widths, the inputs, each model's training-form program parameters and inputs (host-side
// layout only), and the float64 CPU forms (training references and one-token decoders) the CPU backend
// runs. The GPU side is introTrain.ts and introDecode.ts. Mamba is its selective scan alone (the block's
// conv and projections are left out); S4 is diagonal S4D (Vandermonde kernel, FFT convolution).

import { discretizeDiag } from '../reference/discretize';
import { fftConv } from '../reference/fft';
import { softmaxAttention } from '../reference/attention';
import { linearAttentionChunked, linearAttentionRecurrent } from '../reference/linearAttention';
import { selectiveScan, selectiveStateUpdate, type SelectiveScanParams } from '../reference/mamba';
import { rnnStep } from '../reference/rnn';
import { s4dKernel } from '../reference/s4d';
import { mamba2Combined } from '../reference/ssdChunked';
import { Rng } from '../util/rng';
import { embedTokens } from '../util/tokens';
import { type ElmanParams, elmanReference } from '../programs/rnn/elmanRnn';
import type { RnnWeights } from '../programs/rnn/common';
import type { Mamba2Params } from '../programs/ssd/mamba2Combined';
import { initDtBias } from './common';

export const MODELS = ['rnn', 'attention', 'linear', 's4', 'mamba', 'mamba2'] as const;
export type ModelId = (typeof MODELS)[number];

/** Model width d (= S4D channels H = Mamba's D = Mamba-2's heads·P), state sizes, heads, chunk length. */
export const W = { d: 8, N: 8, N2: 4, heads: 2, P: 4, chunk: 16 } as const;

type Cx = { data: Float32Array; imag: Float32Array };

export interface IntroInputs {
  tokens: string[]; // (L,) the sentence's tokens, cycled
  x: Float32Array; // (L, d) the shared input embedding
  rnn: RnnWeights; // W_ih, W_hh (d, d), b_ih, b_hh (d,)
  q: Float32Array; // (L, d) attention and linear attention
  k: Float32Array; // (L, d)
  v: Float32Array; // (L, d)
  s4: { A: Cx; B: Cx; C: Cx; dt: Float32Array }; // A, B, C (H, N2) complex, dt (H,)
  mamba: { delta: Float32Array; A: Float32Array; B: Float32Array; C: Float32Array; bias: Float32Array }; // δ (L, D), A (D, N), B, C (L, N), dt bias (D,)
  mamba2: { dt: Float32Array; A: Float32Array; B: Float32Array; C: Float32Array; bias: Float32Array }; // Δ (L, H), A (H,), B, C (L, N), dt bias (H,)
}

/** The stage's inputs for L positions from the sentence's tokens (cycled) and a seed. */
export function introInputs(words: readonly string[], L: number, seed: number): IntroInputs {
  const tokens = Array.from({ length: L }, (_, t) => words[t % words.length]);
  const { d, N, N2, heads } = W;
  const emb = (width: number, role: number) => embedTokens(tokens, width, seed * 16 + role);
  const rng = new Rng(seed);
  const s = 1 / Math.sqrt(d);
  const n = d * N2;
  return {
    tokens,
    x: emb(d, 1),
    rnn: {
      Wih: rng.uniforms(d * d, -s, s),
      Whh: rng.uniforms(d * d, -s, s),
      bih: rng.uniforms(d, -s, s),
      bhh: rng.uniforms(d, -s, s),
    },
    q: emb(d, 2),
    k: emb(d, 3),
    v: emb(d, 4),
    s4: {
      // S4D-Lin: A = −1/2 + iπn, B = 1, C seeded, Δ log-uniform in [1e-3, 1e-1].
      A: {
        data: new Float32Array(n).fill(-0.5),
        imag: Float32Array.from({ length: n }, (_, i) => Math.PI * (i % N2)),
      },
      B: { data: new Float32Array(n).fill(1), imag: new Float32Array(n) },
      C: { data: rng.normals(n, Math.SQRT1_2), imag: rng.normals(n, Math.SQRT1_2) },
      dt: Float32Array.from({ length: d }, () => Math.exp(rng.uniform(Math.log(1e-3), Math.log(1e-1)))),
    },
    mamba: {
      delta: emb(d, 5),
      A: Float32Array.from({ length: d * N }, (_, i) => -((i % N) + 1)), // S4D-real
      B: emb(N, 6),
      C: emb(N, 7),
      bias: initDtBias(rng, d),
    },
    mamba2: {
      dt: emb(heads, 8),
      A: Float32Array.from({ length: heads }, () => -Math.exp(rng.uniform(0, Math.log(16)))),
      B: emb(N, 9),
      C: emb(N, 10),
      bias: initDtBias(rng, heads),
    },
  };
}

/** (rows, cols) row-major → (cols, rows). */
export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

// The training-form programs' parameters and inputs for each model (layouts only; no arithmetic).

export const rnnParams = (L: number): ElmanParams => ({ T: L, b: 1, inSize: W.d, hidden: W.d, layers: 1 });
export const attnParams = (L: number) => ({ b: 1, sq: L, sk: L, h: 1, hk: 1, d: W.d, causal: true });
export const laParams = (L: number) => ({ B: 1, T: L, H: 1, K: W.d, V: W.d, chunk: W.chunk });
export const scanParams = (L: number): SelectiveScanParams => ({
  batch: 1,
  D: W.d,
  L,
  N: W.N,
  complex: false,
  bGroups: 1,
  cGroups: 1,
  deltaSoftplus: true,
  chunk: W.chunk,
  carry: 'passes',
});
export const scanInputs = (L: number, x: IntroInputs) => ({
  u: transpose(x.x, L, W.d), // (1, D, L)
  delta: transpose(x.mamba.delta, L, W.d), // (1, D, L)
  A: x.mamba.A,
  B: transpose(x.mamba.B, L, W.N), // (1, 1, N, L)
  C: transpose(x.mamba.C, L, W.N),
  deltaBias: x.mamba.bias,
});
export const mamba2Params = (L: number): Mamba2Params => ({
  batch: 1,
  T: L,
  H: W.heads,
  P: W.P,
  N: W.N,
  G: 1,
  Q: W.chunk,
  dtSoftplus: true,
});
export const mamba2Inputs = (x: IntroInputs) => ({
  x: x.x, // (1, L, H, P)
  dt: x.mamba2.dt, // (1, L, H)
  A: x.mamba2.A,
  B: x.mamba2.B, // (1, L, 1, N)
  C: x.mamba2.C,
  dtBias: x.mamba2.bias,
});

const cv = (c: Cx) => ({ re: Float64Array.from(c.data), im: Float64Array.from(c.imag) });

/** Each model's training form (all L positions at once) on the CPU: y (L, d) per model, float64. */
export function trainReference(L: number, x: IntroInputs): Record<ModelId, Float64Array> {
  const { d } = W;
  const la = laParams(L);
  const K = s4dKernel(cv(x.s4.A), cv(x.s4.B), cv(x.s4.C), x.s4.dt, L, 'zoh'); // (H, L)
  const s4y = fftConv(K, transpose(x.x, L, d), 1, d, L, null); // (1, H, L)
  const mamba = selectiveScan(scanParams(L), scanInputs(L, x)).out; // (1, D, L)
  return {
    rnn: elmanReference(rnnParams(L), { x: x.x, h0: null, weights: [x.rnn] }).output,
    attention: softmaxAttention(x.q, x.k, x.v, attnParams(L), true).out,
    linear: linearAttentionChunked(la, { q: x.q, k: x.k, v: x.v }, la.chunk).o,
    s4: Float64Array.from(transpose(s4y, d, L)),
    mamba: Float64Array.from(transpose(mamba, d, L)),
    mamba2: mamba2Combined(mamba2Params(L), W.chunk, mamba2Inputs(x), true),
  };
}

/** One generated token on the CPU: y_t (d,) and the state (or cache) held after it, as float64 values. */
export interface CpuDecoder {
  step(t: number): { y: Float64Array; state: Float64Array };
  reset(): void;
}

const row = (a: ArrayLike<number>, t: number, w: number) =>
  Float64Array.from({ length: w }, (_, i) => a[t * w + i]);

/** The float64 one-token decoders, one per model, each the CPU reference of its GPU decoder. */
export function cpuDecoders(x: IntroInputs): Record<ModelId, CpuDecoder> {
  const { d, N, N2, heads, P } = W;
  const disc = discretizeDiag(cv(x.s4.A), cv(x.s4.B), x.s4.dt, 'zoh', N2);
  let h: Float64Array = new Float64Array(d);
  let S: Float64Array = new Float64Array(d * d);
  let s4x: Float64Array = new Float64Array(2 * d * N2); // (H, N2) complex, interleaved
  let ms: Float64Array = new Float64Array(d * N);
  let m2: Float64Array = new Float64Array(heads * P * N);
  const cache: number[][] = [[], []];
  const update = (
    H: number,
    Pp: number,
    state: Float64Array,
    t: number,
    dt: Float64Array,
    a: Float64Array,
    src: IntroInputs['mamba'] | IntroInputs['mamba2'],
    bias: Float64Array,
  ) =>
    selectiveStateUpdate(
      { batch: 1, H, P: Pp, N, G: 1, dtSoftplus: true },
      { state, x: row(x.x, t, d), dt, A: a, B: row(src.B, t, N), C: row(src.C, t, N), dtBias: bias },
    );
  const dtOf = (t: number) =>
    Float64Array.from({ length: d }, (_, i) => x.mamba2.dt[t * heads + Math.floor(i / P)]);
  const a2 = Float64Array.from({ length: heads * P * N }, (_, i) => x.mamba2.A[Math.floor(i / (P * N))]);
  const bias2 = Float64Array.from({ length: d }, (_, i) => x.mamba2.bias[Math.floor(i / P)]);
  return {
    rnn: {
      step(t) {
        h = rnnStep(row(x.x, t, d), h, x.rnn, 1, d, d);
        return { y: h, state: h };
      },
      reset: () => h.fill(0),
    },
    attention: {
      step(t) {
        cache[0].push(...row(x.k, t, d));
        cache[1].push(...row(x.v, t, d));
        const sk = t + 1;
        const o = softmaxAttention(
          row(x.q, t, d),
          cache[0],
          cache[1],
          { b: 1, sq: 1, sk, h: 1, hk: 1, d },
          false,
        ).out;
        return { y: o, state: Float64Array.from([...cache[0], ...cache[1]]) };
      },
      reset() {
        cache[0] = [];
        cache[1] = [];
      },
    },
    linear: {
      step(t) {
        const r = linearAttentionRecurrent(
          { B: 1, T: 1, H: 1, K: d, V: d },
          { q: row(x.q, t, d), k: row(x.k, t, d), v: row(x.v, t, d), initialState: S },
        );
        S = r.finalState;
        return { y: r.o, state: S };
      },
      reset: () => S.fill(0),
    },
    s4: {
      step(t) {
        const next = new Float64Array(s4x.length);
        const y = new Float64Array(d);
        for (let c = 0; c < d; c++) {
          const u = x.x[t * d + c];
          for (let n = 0; n < N2; n++) {
            const i = c * N2 + n;
            const [xr, xi] = [s4x[2 * i], s4x[2 * i + 1]];
            const r = disc.Abar.re[i] * xr - disc.Abar.im[i] * xi + disc.Bbar.re[i] * u;
            const m = disc.Abar.re[i] * xi + disc.Abar.im[i] * xr + disc.Bbar.im[i] * u;
            next[2 * i] = r;
            next[2 * i + 1] = m;
            y[c] += 2 * (x.s4.C.data[i] * r - x.s4.C.imag[i] * m);
          }
        }
        s4x = next;
        return { y, state: s4x };
      },
      reset: () => s4x.fill(0),
    },
    mamba: {
      step(t) {
        const r = update(
          1,
          d,
          ms,
          t,
          row(x.mamba.delta, t, d),
          Float64Array.from(x.mamba.A),
          x.mamba,
          Float64Array.from(x.mamba.bias),
        );
        ms = r.newState;
        return { y: r.out, state: ms };
      },
      reset: () => ms.fill(0),
    },
    mamba2: {
      step(t) {
        const r = update(heads, P, m2, t, dtOf(t), a2, x.mamba2, bias2);
        m2 = r.newState;
        return { y: r.out, state: m2 };
      },
      reset: () => m2.fill(0),
    },
  };
}
