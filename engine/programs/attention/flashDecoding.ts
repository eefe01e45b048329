// flashDecoding: attention for decoding (few queries, long KV cache) with the keys split across
// workgroups: each computes a partial (m, l, O) over its split, then a second kernel merges the
// partials by log-sum-exp. Works for any sq (each query row is independent); built for sq = 1.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { splitAttention, splitLength } from '../../reference/attentionSplit';
import { readTrace, traceBuffer } from '../../trace/events';
import {
  ATTENTION_TENSORS,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  foldGrid,
  makeAttentionInputs,
  validateAttention,
} from './common';
import type { Host, Program, RunOptions, RunResult } from '../program';

export interface FlashDecodingParams extends AttentionParams {
  /** Number of KV splits (1 ≤ splits ≤ sk); one workgroup per (split, query row, head, batch). */
  splits: number;
}
export type FlashDecodingOutputs = AttentionOutputs & {
  /** Per split: running max m and sum l, interleaved. */
  ml: Host; // (b, h, sq, splits, 2)
  oPart: Host; // (b, h, sq, splits, d) unnormalised
};

const WG = 64;

/** A split count for a cache of sk keys: about 256 keys per split, at most 64 splits. */
export function defaultSplits(sk: number): number {
  return Math.max(1, Math.min(64, Math.ceil(sk / 256)));
}

export async function flashDecodingGpu(
  gpu: Gpu,
  p: FlashDecodingParams,
  x: AttentionInputs,
  opts: RunOptions = {},
): Promise<RunResult<FlashDecodingOutputs>> {
  const scale = validateAttention('flashDecoding', p, x);
  if (!Number.isInteger(p.splits) || p.splits < 1 || p.splits > p.sk) {
    throw new EngineError('flashDecoding', `splits must be an integer in [1, sk=${p.sk}], got ${p.splits}`);
  }
  const rows = p.b * p.h * p.sq;
  const [nx, ny] = foldGrid(gpu, rows * p.splits);
  const [cx, cy] = foldGrid(gpu, rows);
  const TRACE = opts.trace ? 1 : 0;
  const prelude = `const WG: u32 = ${WG}u;\nconst D: u32 = ${p.d}u;\nconst DPT: u32 = ${Math.ceil(p.d / WG)}u;\n`;
  const scope = new BufferScope(gpu, 'flashDecoding');
  try {
    const [split, combine] = await Promise.all([
      kernel(gpu, {
        label: 'flashDecoding.split',
        sources: ['common/trace.wgsl', 'attention/flashDecodingSplit.wgsl'],
        prelude,
        constants: { TRACE },
      }),
      kernel(gpu, {
        label: 'flashDecoding.combine',
        sources: ['common/trace.wgsl', 'attention/flashDecodingCombine.wgsl'],
        prelude,
        constants: { TRACE },
      }),
    ]);
    const ml = scope.storage('ml', rows * p.splits * 2 * 4);
    const oPart = scope.storage('oPart', rows * p.splits * p.d * 4);
    const o = scope.storage('out', p.b * p.sq * p.h * p.d * 4);
    const lse = scope.storage('lse', rows * 4);
    const trace = traceBuffer(scope, TRACE ? rows * (p.splits * 4 + 3) : 1);
    const splitParams = scope.uniform('split.params', [
      ['u32', p.b],
      ['u32', p.sq],
      ['u32', p.sk],
      ['u32', p.h],
      ['u32', p.hk],
      ['u32', p.causal ? 1 : 0],
      ['f32', scale],
      ['u32', p.splits],
      ['u32', splitLength(p.sk, p.splits)],
      ['u32', nx],
    ]);
    const combineParams = scope.uniform('combine.params', [
      ['u32', rows],
      ['u32', p.splits],
      ['u32', cx],
      ['f32', Number.POSITIVE_INFINITY],
      ['u32', p.sq],
      ['u32', p.h],
    ]);
    const { gpuMs } = await runDispatches(
      gpu,
      'flashDecoding',
      [
        {
          kernel: split,
          bindings: [
            splitParams,
            scope.upload('q', x.q),
            scope.upload('k', x.k),
            scope.upload('v', x.v),
            ml,
            oPart,
            trace,
          ],
          workgroups: [nx, ny],
        },
        { kernel: combine, bindings: [combineParams, ml, oPart, o, lse, trace], workgroups: [cx, cy] },
      ],
      { time: opts.time },
    );
    return {
      outputs: {
        out: await readF32(gpu, o, p.b * p.sq * p.h * p.d),
        lse: await readF32(gpu, lse, rows),
        ml: await readF32(gpu, ml, rows * p.splits * 2),
        oPart: await readF32(gpu, oPart, rows * p.splits * p.d),
      },
      gpuMs,
      trace: TRACE ? await readTrace(gpu, trace, ATTENTION_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
}

export const flashDecodingProgram: Program<FlashDecodingParams, AttentionInputs, FlashDecodingOutputs> = {
  id: 'flashDecoding',
  title: 'FlashDecoding (split KV, log-sum-exp merge)',
  makeInputs: (p, seed) => makeAttentionInputs(p, seed),
  reference(p, x) {
    const r = splitAttention(x.q, x.k, x.v, p, p.causal, p.splits, validateAttention('flashDecoding', p, x));
    const ml = new Float64Array(r.m.length * 2);
    r.m.forEach((m, i) => {
      ml[2 * i] = m;
      ml[2 * i + 1] = r.l[i];
    });
    return { out: r.out, lse: r.lse, ml, oPart: r.oPart };
  },
  run: (gpu, p, x, opts) => flashDecodingGpu(gpu, p, x, opts),
  tolerance: 1e-4,
};
