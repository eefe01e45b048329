// The Mamba and Mamba-2 blocks, each one submission (projections, conv1d, SiLU, the scan or SSD, the gate
// or gated RMSNorm, out_proj), at Mamba-130m's shapes up to L = 2048 (`real`), or a small model (`small`).
// FLOPs count the projections only (the scans are memory-bound), so TFLOP/s is a lower bound.

import { makeMambaInputs, program as mambaBlock } from '../engine/stages/mamba';
import { makeSsdInputs, program as mamba2Block } from '../engine/stages/ssd';
import { type Comparison, entry } from './harness';

export function blockComparisons(real: boolean): Comparison[] {
  const Ls = real ? [512, 1024, 2048] : [32, 64];
  const dModel = real ? 768 : 64;
  const dInner = 2 * dModel;
  const m1 = (L: number) => ({
    batch: 1,
    L,
    dModel,
    dInner,
    N: 16,
    dConv: 4,
    dtRank: Math.ceil(dModel / 16),
  });
  const m1Flops = (L: number) => {
    const p = m1(L);
    return (
      2 * L * (dModel * 2 * dInner + dInner * (p.dtRank + 2 * p.N) + p.dtRank * dInner + dInner * dModel)
    );
  };
  const P = real ? 64 : 16;
  const N2 = real ? 128 : 16;
  const m2 = (L: number) => ({
    batch: 1,
    L,
    dModel,
    dInner,
    H: dInner / P,
    P,
    N: N2,
    G: 1,
    dConv: 4,
    rmsnorm: true,
    normBeforeGate: false,
    eps: 1e-5,
  });
  const m2Flops = (L: number) => {
    const width = 2 * dInner + 2 * N2 + dInner / P;
    return 2 * L * (dModel * width + dInner * dModel);
  };
  return [
    {
      title: 'Mamba block (one submission) as L grows',
      size: `batch=1 d_model=${dModel} d_inner=${dInner} N=16 d_conv=4`,
      entries: Ls.map((L) =>
        entry(`L=${L}`, mambaBlock, m1(L), () => makeMambaInputs(m1(L), 5), { flops: m1Flops(L) }),
      ),
    },
    {
      title: 'Mamba-2 block (one submission) as L grows',
      size: `batch=1 d_model=${dModel} d_inner=${dInner} head dim ${P} N=${N2} groups=1`,
      entries: Ls.map((L) =>
        entry(`L=${L}`, mamba2Block, m2(L), () => makeSsdInputs(m2(L), 5), { flops: m2Flops(L) }),
      ),
    },
  ];
}
