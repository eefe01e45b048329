// flashDecoding: attention for decoding (few queries, long KV cache) with the keys split across
// workgroups: each computes a partial (m, l, O) over its split, then a second kernel merges the
// partials by log-sum-exp. Works for any sq (each query row is independent); built for sq = 1.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { splitAttention, splitLength } from '../../reference/attentionSplit';
import {
  type AttentionBuffers,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  attentionKernel,
  attentionUniformValues,
  checkDispatch,
  forwardGpu,
  makeAttentionInputs,
  validateAttention,
} from './common';
import type { Host, Program, RunOptions, RunResult } from '../program';

export interface FlashDecodingParams extends AttentionParams {
  /** Number of KV splits (1 ≤ splits ≤ sk); one workgroup per (split, query row, head, batch). */
  splits: number;
  /** 'portable' keeps the workgroup-memory split kernel even where subgroups are offered (tests). */
  form?: 'auto' | 'portable';
}
export type FlashDecodingOutputs = AttentionOutputs & {
  /** Per split: running max m and sum l, interleaved. */
  ml: Host; // (b, h, sq, splits, 2)
  oPart: Host; // (b, h, sq, splits, d) unnormalised
};

const WG = 64;
/** The subgroup split kernel: invocations per workgroup and keys per subgroup per step. */
const SG_WG = 128;
const KPI = 4;
/** The combine kernel's invocations: a tree over the splits, and split groups × columns for O. */
const CWG = 256;

/**
 * A split count for a cache of sk keys: about 64 keys per split, at most 128 splits (H200, h = 32/8,
 * d = 64: the fastest of 32…256 splits at KV 4K and 16K, BENCHMARKS.md).
 */
export function defaultSplits(sk: number): number {
  return Math.max(1, Math.min(128, Math.ceil(sk / 64)));
}

/**
 * How the split kernel runs: on subgroups (one workgroup per KV head serving its G query heads, SG lanes a
 * subgroup) where the adapter has one subgroup size and nothing is traced, else the portable kernel (one
 * workgroup per query head, reductions in workgroup memory), which is also the traced one.
 */
export function splitForm(gpu: Gpu, p: FlashDecodingParams, trace = false) {
  const sg = gpu.features.subgroupSize;
  if (!sg || trace || p.form === 'portable' || p.h % p.hk !== 0 || SG_WG % sg !== 0) return null;
  const g = p.h / p.hk;
  // Each subgroup leaves (m, l, O) per head in workgroup memory: fewer subgroups where that would not fit.
  let wg = SG_WG;
  while (wg > sg && 4 * (wg / sg) * g * (p.d + 2) > gpu.limits.maxComputeWorkgroupStorageSize) wg /= 2;
  if (4 * (wg / sg) * g * (p.d + 2) > gpu.limits.maxComputeWorkgroupStorageSize) return null;
  return { sg, g, dpl: Math.ceil(p.d / sg), wg };
}

/** The split and combine kernels (WG invocations; each owns DPT = ceil(d / WG) output columns). */
export function flashDecodingKernels(gpu: Gpu, p: FlashDecodingParams, trace = false) {
  const { d } = p;
  const prelude = `const WG: u32 = ${WG}u;\nconst D: u32 = ${d}u;\nconst DPT: u32 = ${Math.ceil(d / WG)}u;\n`;
  const sg = splitForm(gpu, p, trace);
  const split = sg
    ? attentionKernel(gpu, 'flashDecoding.splitSubgroup', ['flashDecodingSplitSg.wgsl'], {
        enable: ['subgroups'],
        prelude: `const WG: u32 = ${sg.wg}u;\nconst D: u32 = ${d}u;\nconst SG: u32 = ${sg.sg}u;\nconst DPL: u32 = ${sg.dpl}u;\nconst G: u32 = ${sg.g}u;\nconst KPI: u32 = ${KPI}u;\n`,
      })
    : attentionKernel(gpu, 'flashDecoding.split', ['rowReduce.wgsl', 'flashDecodingSplit.wgsl'], {
        prelude,
        trace,
      });
  return Promise.all([
    split,
    attentionKernel(gpu, 'flashDecoding.combine', ['rowReduce.wgsl', 'flashDecodingCombine.wgsl'], {
      prelude: `const WG: u32 = ${CWG}u;\nconst D: u32 = ${d}u;\n`,
      trace,
    }),
  ]);
}

export interface FlashDecodingBuffers extends AttentionBuffers {
  ml: GPUBuffer; // (b, h, sq, splits, 2)
  oPart: GPUBuffer; // (b, h, sq, splits, d)
}

function checkSplits(p: FlashDecodingParams): void {
  if (!Number.isInteger(p.splits) || p.splits < 1 || p.splits > p.sk) {
    throw new EngineError('flashDecoding', `splits must be an integer in [1, sk=${p.sk}], got ${p.splits}`);
  }
}

/** Trace events: 4 per (row, split), 3 per row. */
export const flashDecodingTraceCapacity = (p: FlashDecodingParams) => p.b * p.h * p.sq * (p.splits * 4 + 3);

/** Split (a workgroup per split and query row) then combine (a workgroup per query row), on given buffers. */
export async function flashDecodingDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashDecodingParams,
  b: FlashDecodingBuffers,
  trace = false,
): Promise<Dispatch[]> {
  checkSplits(p);
  const parts = p.b * p.h * p.sq * p.splits;
  const scale = checkDispatch('flashDecoding', p, {
    ...b,
    ml: [b.ml, parts * 2],
    oPart: [b.oPart, parts * p.d],
  });
  const rows = p.b * p.h * p.sq;
  const [split, combine] = await flashDecodingKernels(gpu, p, trace);
  // The subgroup kernel takes one workgroup per KV head (and split), serving its G query heads.
  const splitRows = splitForm(gpu, p, trace) ? p.b * p.hk * p.sq : rows;
  const splitGrid = gridFor(gpu, 'flashDecoding.split', splitRows * p.splits);
  const combineGrid = gridFor(gpu, 'flashDecoding.combine', rows);
  const fields = { splits: p.splits, splitLen: splitLength(p.sk, p.splits) };
  const u = (k: typeof split, count: number) =>
    uniformFor(scope, k, attentionUniformValues(p, scale, { ...fields, count })).buffer;
  return [
    {
      kernel: split,
      bindings: {
        p: u(split, splitGrid.count),
        q: b.q,
        k: b.k,
        v: b.v,
        ml: b.ml,
        oPart: b.oPart,
        trace: b.trace,
      },
      workgroups: splitGrid.workgroups,
    },
    {
      kernel: combine,
      bindings: {
        p: u(combine, combineGrid.count),
        ml: b.ml,
        oPart: b.oPart,
        o: b.o,
        lse: b.lse,
        trace: b.trace,
      },
      workgroups: combineGrid.workgroups,
    },
  ];
}

export async function flashDecodingGpu(
  gpu: Gpu,
  p: FlashDecodingParams,
  x: AttentionInputs,
  opts: RunOptions = {},
): Promise<RunResult<FlashDecodingOutputs>> {
  validateAttention('flashDecoding', p, x);
  checkSplits(p);
  const parts = p.b * p.h * p.sq * p.splits;
  const traceEvents = flashDecodingTraceCapacity(p);
  return forwardGpu(gpu, 'flashDecoding', p, x, { ...opts, traceEvents }, async (scope, fwd) => {
    const ml = scope.storage('ml', parts * 2 * 4);
    const oPart = scope.storage('oPart', parts * p.d * 4);
    return {
      dispatches: await flashDecodingDispatch(gpu, scope, p, { ...fwd, ml, oPart }, opts.trace),
      read: { ml: [ml, parts * 2], oPart: [oPart, parts * p.d] },
    };
  });
}

export const flashDecodingProgram: Program<FlashDecodingParams, AttentionInputs, FlashDecodingOutputs> = {
  id: 'flashDecoding',
  title: 'FlashDecoding (split KV, log-sum-exp merge)',
  makeInputs: makeAttentionInputs,
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
