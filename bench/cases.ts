// The benchmark's comparisons, at two size sets: `small` (CI-sized, SwiftShader) and `real` (model sizes).

import { ssmConvProgram } from '../engine/programs/ssmConv';
import type { Comparison } from './harness';

export type SizeSet = 'small' | 'real';

export function comparisons(size: SizeSet): Comparison[] {
  const real = size === 'real';
  const conv = { B: 1, H: real ? 64 : 4, L: real ? 4096 : 512 };
  const convIn = ssmConvProgram.makeInputs(conv, 1);
  return [
    {
      title: 'Causal convolution',
      size: `B=${conv.B} H=${conv.H} L=${conv.L}`,
      entries: [
        {
          label: 'direct O(L^2)',
          run: async (gpu) => (await ssmConvProgram.run(gpu, conv, convIn, { time: true })).gpuMs,
          flops: 2 * conv.B * conv.H * ((conv.L * (conv.L + 1)) / 2),
        },
      ],
    },
  ];
}
