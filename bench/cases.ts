// The benchmark's comparisons, at two size sets: `small` (CI-sized, fits SwiftShader) and `real` (model
// sizes, for a real GPU). Each comparison's first entry is its baseline; ratios are from one run.

import type { Gpu } from '../engine/gpu/device';
import { flashAttentionProgram } from '../engine/programs/attention/flashAttention';
import { flashDecodingProgram } from '../engine/programs/attention/flashDecoding';
import { naiveAttentionProgram } from '../engine/programs/attention/naiveAttention';
import { selectiveScanChunkedProgram } from '../engine/programs/mamba/selectiveScanChunked';
import { selectiveScanSequentialProgram } from '../engine/programs/mamba/selectiveScanSequential';
import type { Host, Program } from '../engine/programs/program';
import type { BenchEntry, Comparison } from './harness';
import { moreComparisons } from './casesMore';

export type SizeSet = 'small' | 'real';

/** An entry timing `program.run` at fixed params and inputs made once. */
export function entry<P, I, O extends Record<string, Host>>(
  label: string,
  program: Program<P, I, O>,
  params: P,
  inputs: () => I,
  extra: { bytes?: number; flops?: number } = {},
): BenchEntry {
  let x: I | null = null;
  return {
    label,
    ...extra,
    run: async (gpu: Gpu) => {
      x ??= inputs();
      return (await program.run(gpu, params, x, { time: true })).gpuMs;
    },
  };
}

function attention(real: boolean): Comparison[] {
  const L = real ? 4096 : 256;
  const shape = { b: 1, sq: L, sk: L, h: real ? 32 : 4, hk: real ? 8 : 2, d: 64, causal: true };
  const x = () => naiveAttentionProgram.makeInputs(shape, 1);
  // Causal attention: QK^T and PV over the lower triangle, 2 flops per multiply-add.
  const flops = 4 * shape.b * shape.h * shape.d * ((L * (L + 1)) / 2);
  const dec = { b: 1, sq: 1, sk: real ? 16384 : 2048, h: 32, hk: 8, d: 64, causal: false };
  const xd = () => flashDecodingProgram.makeInputs({ ...dec, splits: 1 }, 2);
  const kvBytes = 2 * dec.b * dec.sk * dec.hk * dec.d * 4;
  return [
    {
      title: 'Attention forward: naive (S, P in storage) vs FlashAttention-2',
      size: `b=1 h=${shape.h} h_k=${shape.hk} L=${L} d=64 causal`,
      entries: [
        entry('naive (materialises S and P)', naiveAttentionProgram, shape, x, { flops }),
        entry(
          'FlashAttention-2 (Br=Bc=64 requested)',
          flashAttentionProgram,
          { ...shape, Br: 64, Bc: 64 },
          x,
          {
            flops,
          },
        ),
      ],
    },
    {
      title: 'Decoding: one query against a long KV cache',
      size: `h=32 h_k=8 sk=${dec.sk} d=64`,
      entries: [
        entry('1 split (one workgroup per head)', flashDecodingProgram, { ...dec, splits: 1 }, xd, {
          bytes: kvBytes,
        }),
        entry('16 splits + merge', flashDecodingProgram, { ...dec, splits: 16 }, xd, { bytes: kvBytes }),
        entry('64 splits + merge', flashDecodingProgram, { ...dec, splits: 64 }, xd, { bytes: kvBytes }),
      ],
    },
  ];
}

function selectiveScan(real: boolean): Comparison[] {
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

export function comparisons(size: SizeSet): Comparison[] {
  const real = size === 'real';
  return [...attention(real), ...selectiveScan(real), ...moreComparisons(real)];
}
