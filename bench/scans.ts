// Mamba selective scan benchmarks: one invocation per channel walking L against the fused chunked parallel
// scan, with carries in three passes or chained in one dispatch.

import { selectiveScanChunkedProgram } from '../engine/programs/mamba/selectiveScanChunked';
import { selectiveScanSequentialProgram } from '../engine/programs/mamba/selectiveScanSequential';
import { type Comparison, entry } from './harness';

export function scanComparisons(real: boolean): Comparison[] {
  const p = {
    batch: real ? 2 : 1,
    D: real ? 2048 : 64,
    L: real ? 4096 : 512,
    N: 16,
    complex: false,
    bGroups: 1,
    cGroups: 1,
    deltaSoftplus: true,
  };
  const x = () => selectiveScanChunkedProgram.makeInputs(p, 3);
  // u, δ, z read and out written once; B and C once per group.
  const bytes = 4 * (4 * p.batch * p.D * p.L + 2 * p.batch * p.N * p.L);
  return [
    {
      title: 'Mamba selective scan: sequential per channel vs fused chunked parallel scan',
      size: `batch=${p.batch} D=${p.D} L=${p.L} N=${p.N}`,
      entries: [
        entry('sequential (one invocation per channel)', selectiveScanSequentialProgram, p, x, { bytes }),
        entry(
          'fused, carries in 3 passes',
          selectiveScanChunkedProgram,
          { ...p, carry: 'passes' as const },
          x,
          {
            bytes,
          },
        ),
        entry('fused, chained carries (1 dispatch)', selectiveScanChunkedProgram, p, x, { bytes }),
      ],
    },
  ];
}
