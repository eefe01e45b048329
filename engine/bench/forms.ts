// One computation in two forms over L (batch 1, f32): Mamba-2's SSD chunked (the four teaching kernels and
// ssdFast's three, the best of the chunks and tiles tried; beside it ssdFast's kernels on the matrix units) and in its quadratic form over the whole
// sequence, at each state size N; S4's causal convolution direct (O(L²)) and by FFT (O(L log L)).

import { matrixUnfit } from '../gpu/matrix';
import { fftConvProgram } from '../programs/s4/fftConv';
import { ssmConvProgram } from '../programs/s4/ssmConv';
import { ssdChunkedProgram } from '../programs/ssd/ssdChunked';
import { type SsdFastShape, ssdFastProgram } from '../programs/ssd/ssdFast';
import { type SsdMatrixShape, ssdMatrixProgram } from '../programs/ssd/ssdMatrix';
import { ssdQuadraticProgram } from '../programs/ssd/ssdQuadratic';
import { ssdError } from './accuracy';
import { type Algorithm, F32, inputsAt, type Params, programVariant } from './harness';
import type { Sizes } from './sizes';

/**
 * FLOPs of chunked SSD per head and chunk of Q: the diagonal block's C·Bᵀ (2·N) and its product with X
 * (2·P) over the Q(Q+1)/2 causal pairs; the chunk state Bᵀ·(decay ∘ X) and the output C·state, 2·Q·N·P
 * each; passing the state on, 2·N·P per chunk.
 */
export function ssdChunkedFlops(L: number, H: number, P: number, N: number, chunk: number): number {
  const Q = Math.min(L, chunk);
  return L * H * ((Q + 1) * (N + P) + 4 * N * P) + Math.ceil(L / Q) * H * 2 * N * P;
}

/**
 * The fast SSD's variants in the chunked row, by the index of their chunk in Sizes.ssd.Qs. At the first
 * chunk (64 in FULL) 4×4 register tiles (256 invocations, bound by workgroup-memory reads) and 8×8 (64,
 * bound by FMAs); at the second (128) 8×4 and 8×8: half the states written, passed along and read back
 * (the largest HBM term: 4 × 33 MB at 4K, N=64), for about twice the diagonal-block work.
 */
const FAST: ReadonlyArray<{ q: number; shape: SsdFastShape }> = [
  { q: 0, shape: { RM: 4, RN: 4, KS: 32 } },
  { q: 0, shape: { RM: 8, RN: 8, KS: 32 } },
  { q: 1, shape: { RM: 8, RN: 4, KS: 32 } },
  { q: 1, shape: { RM: 8, RN: 8, KS: 32 } },
];

/**
 * The matrix-unit SSD's variants by chunk index: at 64, one, two and four subgroups across each 64-column
 * tile (128, 256, 512 invocations; 4, 2 and 1 result matrices each); at 128, two.
 */
const MATRIX: ReadonlyArray<{ q: number; shape: SsdMatrixShape }> = [
  { q: 0, shape: { SGC: 1, KS: 64 } },
  { q: 0, shape: { SGC: 2, KS: 64 } },
  { q: 0, shape: { SGC: 4, KS: 64 } },
  { q: 1, shape: { SGC: 2, KS: 64 } },
];

function ssdAlgorithms(s: Sizes, N: number): Algorithm[] {
  const { H, P, Qs } = s.ssd;
  const dims = (L: number) => ({ batch: 1, T: L, H, P, N, G: 1 });
  const x = (L: number) =>
    inputsAt(`ssd.${N}`, (n) => ssdQuadraticProgram.makeInputs(dims(n), 5), L, s.Ls[0]);
  // X (L·H·P, already times Δ) and A·Δ (L·H) read, Y (L·H·P) written; B, C (L·N each, one group) read.
  // The chunked form also writes the final state (H·P·N).
  const io = (L: number) => 2 * L * H * P + L * H + 2 * L * N;
  const common = {
    family: 'ssd',
    shape: `batch=1 H=${H} P=${P} N=${N} G=1`,
    largest: (L: number) => F32 * L * H * P,
  };
  const chunked = {
    ...common,
    trafficFormula: '4·(2·L·H·P + L·H + 2·L·N + H·P·N) B',
    flopsFormula: 'L·H·((Q+1)·(N+P) + 4·N·P) + ⌈L/Q⌉·H·2·N·P, Q the chunk reported',
    traffic: (L: number) => F32 * (io(L) + H * P * N),
    flops: (L: number, p: Params = {}) => ssdChunkedFlops(L, H, P, N, Number(p.Q ?? Qs[0])),
  };
  // FLOPs: ssdChunkedFlops; the quadratic form is one chunk of Q = L without the states.
  return [
    {
      id: `ssdChunked.N${N}`,
      label: `SSD chunked, N=${N} (best Q)`,
      ...chunked,
      variants: (L) => {
        const fit = Qs.filter((Q) => Q <= L);
        const fast = FAST.filter((f) => f.q < Qs.length && Qs[f.q] <= L).map(({ q, shape }) =>
          programVariant(
            ssdFastProgram,
            { ...dims(L), Q: Qs[q], shape },
            x(L),
            { Q: Qs[q], kernel: 'ssdFast', tile: `${shape.RM}x${shape.RN}` },
            ssdError(dims(L)),
          ),
        );
        return [
          ...(fit.length > 0 ? fit : [L]).map((Q) =>
            programVariant(ssdChunkedProgram, { ...dims(L), Q }, x(L), { Q }, ssdError(dims(L))),
          ),
          ...fast,
        ];
      },
    },
    {
      id: `ssdMatrix.N${N}`,
      label: `SSD chunked on the matrix units (f16 in, f32 accumulation), N=${N} (best Q)`,
      ...chunked,
      skip: (_L, gpu) => matrixUnfit(gpu),
      variants: (L) =>
        MATRIX.filter((m) => m.q < Qs.length && Qs[m.q] <= L).map(({ q, shape }) =>
          programVariant(
            ssdMatrixProgram,
            { ...dims(L), Q: Qs[q], shape },
            x(L),
            { Q: Qs[q], kernel: 'ssdMatrix', subgroups: `${shape.SGC} across` },
            ssdError(dims(L)),
          ),
        ),
    },
    {
      id: `ssdQuadratic.N${N}`,
      label: `SSD quadratic, N=${N}`,
      ...common,
      trafficFormula: '4·(2·L·H·P + L·H + 2·L·N) B',
      flopsFormula: 'H·L·(L+1)·(N+P)',
      traffic: (L) => F32 * io(L),
      flops: (L) => H * L * (L + 1) * (N + P),
      variants: (L) => [programVariant(ssdQuadraticProgram, dims(L), x(L))],
    },
  ];
}

export function formAlgorithms(s: Sizes): Algorithm[] {
  const { H } = s.s4;
  const conv = (L: number) => ({ B: 1, H, L });
  const x = (L: number) => inputsAt('s4', (n) => ssmConvProgram.makeInputs(conv(n), 1), L, s.Ls[0]);
  // K (H·L) and u (H·L) read, y (H·L) written.
  const s4 = {
    family: 's4 convolution',
    shape: `B=1 H=${H}, one kernel of length L per channel`,
    trafficFormula: '4·3·H·L B',
    traffic: (L: number) => F32 * 3 * H * L,
  };
  return [
    ...s.ssd.Ns.flatMap((N) => ssdAlgorithms(s, N)),
    {
      id: 's4Direct',
      label: 'S4 convolution, direct',
      ...s4,
      // y_t = Σ_{j ≤ t} K_j u_{t−j}: L(L+1)/2 multiply-adds per channel.
      flopsFormula: 'H·L·(L+1)',
      flops: (L) => H * L * (L + 1),
      largest: (L) => F32 * H * L,
      variants: (L) => [programVariant(ssmConvProgram, conv(L), x(L))],
    },
    {
      id: 's4Fft',
      label: 'S4 convolution, FFT',
      ...s4,
      // Three complex FFTs of n = 2L per channel (u and K forward, the product back), 5·n·log₂n each in
      // the radix-2 count, and the pointwise complex product, 6·n.
      flopsFormula: 'H·(15·n·log₂n + 6·n), n = 2L',
      flops: (L) => H * (15 * 2 * L * Math.log2(2 * L) + 12 * L),
      // Two spectra of (2H rows, n) complex values.
      largest: (L) => 8 * 2 * H * 2 * L,
      variants: (L) => [programVariant(fftConvProgram, conv(L), x(L))],
    },
  ];
}
