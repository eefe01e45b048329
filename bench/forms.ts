// One computation in several forms, side by side: linear attention and Mamba-2 SSD as recurrence, chunked
// and quadratic (parallel) form, and S4's causal convolution direct and by FFT.

import { fftConvProgram } from '../engine/programs/s4/fftConv';
import { linearAttentionChunkedProgram } from '../engine/programs/linearAttention/linearAttentionChunked';
import { linearAttentionParallelProgram } from '../engine/programs/linearAttention/linearAttentionParallel';
import { linearAttentionRecurrentProgram } from '../engine/programs/linearAttention/linearAttentionRecurrent';
import { ssdChunkedProgram } from '../engine/programs/ssd/ssdChunked';
import { ssdQuadraticProgram } from '../engine/programs/ssd/ssdQuadratic';
import { ssdRecurrentProgram } from '../engine/programs/ssd/ssdRecurrent';
import { ssmConvProgram } from '../engine/programs/s4/ssmConv';
import { type Comparison, entry } from './harness';

export function formComparisons(real: boolean): Comparison[] {
  const conv = { B: 1, H: real ? 256 : 4, L: real ? 8192 : 512 };
  const x = () => ssmConvProgram.makeInputs(conv, 1);
  const T = real ? 4096 : 256;
  const la = { B: 1, T, H: real ? 32 : 4, K: 64, V: 64, scale: 0.125 };
  const xla = () => ({ ...linearAttentionRecurrentProgram.makeInputs(la, 4), initialState: null });
  const ssd = { batch: 1, T, H: real ? 32 : 4, P: 64, N: real ? 64 : 16, G: 1 };
  const xssd = () => ssdQuadraticProgram.makeInputs(ssd, 5);
  return [
    {
      title: 'Linear attention: recurrent vs chunked vs quadratic',
      size: `B=1 T=${T} H=${la.H} K=V=64`,
      entries: [
        entry('recurrent (state in workgroup memory)', linearAttentionRecurrentProgram, la, xla),
        entry('chunked, C=64', linearAttentionChunkedProgram, { ...la, chunk: 64 }, xla),
        entry('quadratic (parallel) form', linearAttentionParallelProgram, la, xla),
      ],
    },
    {
      title: 'Mamba-2 SSD: recurrence vs chunked (4 kernels) vs quadratic form',
      size: `batch=1 T=${T} H=${ssd.H} P=64 N=${ssd.N}`,
      entries: [
        entry('sequential recurrence', ssdRecurrentProgram, ssd, xssd),
        entry('chunked SSD, Q=64', ssdChunkedProgram, { ...ssd, Q: 64 }, xssd),
        entry('chunked SSD, Q=128', ssdChunkedProgram, { ...ssd, Q: 128 }, xssd),
        entry('quadratic form (whole sequence)', ssdQuadraticProgram, ssd, xssd),
      ],
    },
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
