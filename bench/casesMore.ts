// More comparisons: state space convolutions, SSD, linear attention (filled in as the programs land).

import { fftConvProgram } from '../engine/programs/fftConv';
import { ssmConvProgram } from '../engine/programs/ssmConv';
import type { Comparison } from './harness';
import { entry } from './cases';

export function moreComparisons(real: boolean): Comparison[] {
  const conv = { B: 1, H: real ? 256 : 4, L: real ? 8192 : 512 };
  const x = () => ssmConvProgram.makeInputs(conv, 1);
  return [
    {
      title: 'S4 causal convolution: direct O(L^2) vs FFT O(L log L)',
      size: `B=${conv.B} H=${conv.H} L=${conv.L}`,
      entries: [
        entry('direct', ssmConvProgram, conv, x),
        entry('FFT (Stockham radix-2 over 2L)', fftConvProgram, conv, x),
      ],
    },
  ];
}
