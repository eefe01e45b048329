// The Mamba and Mamba-2 blocks over L, each the stage program's one submission (in_proj, causal conv1d,
// SiLU, x_proj/dt_proj, the selective scan or chunked SSD, the gate or gated RMSNorm, out_proj), at
// Mamba-130m-like widths (batch 1, f32). The stage programs accept L up to their own limit; longer L are
// skipped with that reason.

import { MAMBA_STAGE_LIMITS, makeMambaInputs, program as mambaBlock } from '../stages/mamba';
import { makeSsdInputs, program as mamba2Block, SSD_STAGE_LIMITS, ssdStageSizes } from '../stages/ssd';
import { ssdChunkedFlops } from './forms';
import { type Algorithm, F32, inputsAt, programVariant } from './harness';
import type { Sizes } from './sizes';

const over = (what: string, max: number) => (L: number) =>
  L > max ? `the ${what} stage program accepts L ≤ ${max}` : null;

export function blockAlgorithms(s: Sizes): Algorithm[] {
  const { dModel: M, N1, P2, N2 } = s.blocks;
  const D = 2 * M;
  const W = 4;
  const R = Math.ceil(M / 16);
  const m1 = (L: number) => ({ batch: 1, L, dModel: M, dInner: D, N: N1, dConv: W, dtRank: R });
  const m2 = (L: number) => ({
    batch: 1,
    L,
    dModel: M,
    dInner: D,
    H: D / P2,
    P: P2,
    N: N2,
    G: 1,
    dConv: W,
    rmsnorm: true,
    normBeforeGate: false,
    eps: 1e-5,
  });
  // Mamba: hidden states in and out (L·M each) and every weight once: in_proj 2D·M (+2D bias), conv1d
  // D·W (+D), x_proj (R+2N)·D, dt_proj D·R (+D), A_log D·N, D (D), out_proj M·D (+M). FLOPs: the four
  // projections (2 per multiply-add), the conv (2·W per element) and the scan (7·N + 10 per element).
  const w1 = 2 * D * M + 2 * D + D * W + D + (R + 2 * N1) * D + D * R + D + D * N1 + D + M * D + M;
  // Mamba-2: u and out (L·M each) and the weights: in_proj width·M, conv1d convDim·(W+1), dt_bias,
  // A_log, D (H each), the norm (d_ssm), out_proj M·D. FLOPs: in_proj, conv, SSD at its chunk of 64
  // (ssdChunkedFlops), out_proj.
  const z = ssdStageSizes(m2(1));
  const H2 = D / P2;
  const w2 = z.width * M + z.convDim * (W + 1) + 3 * H2 + z.dSsm + M * D;
  const common = { family: 'blocks', largest: (L: number) => F32 * L * 2 * D };
  return [
    {
      id: 'mambaBlock',
      label: 'Mamba block',
      ...common,
      shape: `batch=1 d_model=${M} d_inner=${D} N=${N1} d_conv=${W} dt_rank=${R}`,
      trafficFormula: `4·(2·L·d_model + ${w1} weights) B`,
      flopsFormula: '2·L·(2D·M + D·(R+2N) + R·D + D·M) + 2·L·D·W + 7·D·L·N + 10·D·L',
      traffic: (L) => F32 * (2 * L * M + w1),
      flops: (L) =>
        2 * L * (2 * D * M + D * (R + 2 * N1) + R * D + D * M) + 2 * L * D * W + 7 * D * L * N1 + 10 * D * L,
      skip: over('Mamba', MAMBA_STAGE_LIMITS.L[1]),
      variants: (L) => [
        programVariant(
          mambaBlock,
          m1(L),
          inputsAt('mambaBlock', (n) => makeMambaInputs(m1(n), 5), L, s.Ls[0]),
        ),
      ],
    },
    {
      id: 'mamba2Block',
      label: 'Mamba-2 block',
      ...common,
      shape: `batch=1 d_model=${M} d_inner=${D} H=${H2} P=${P2} N=${N2} G=1 d_conv=${W}, gated RMSNorm`,
      trafficFormula: `4·(2·L·d_model + ${w2} weights) B`,
      flopsFormula: '2·L·(width·M + D·M) + 2·L·convDim·W + SSD(Q=64)',
      traffic: (L) => F32 * (2 * L * M + w2),
      flops: (L) =>
        2 * L * (z.width * M + D * M) + 2 * L * z.convDim * W + ssdChunkedFlops(L, H2, P2, N2, 64),
      skip: over('Mamba-2', SSD_STAGE_LIMITS.L[1]),
      variants: (L) => [
        programVariant(
          mamba2Block,
          m2(L),
          inputsAt('mamba2Block', (n) => makeSsdInputs(m2(n), 5), L, s.Ls[0]),
        ),
      ],
    },
  ];
}
