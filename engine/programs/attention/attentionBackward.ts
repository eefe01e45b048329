// attentionBackward: the plain gradients of softmax attention for the loss sum(dout ∘ out), the reference
// form the FlashAttention-2 backward (flashAttentionBackward.ts) is tested against. One submission: the
// flash forward (O, lse), the delta preprocess (delta = rowsum(dO ∘ O)), then per slice of (batch, query
// head, block of query rows) two kernels that materialise P and dS rows (P recomputed as
// exp(scale·QKᵀ − lse); dS = P ∘ (dP − delta)) in storage: one writes them and dQ, the other adds the
// slice's dK, dV into its kv head (GQA sums the group's query heads). Scale in dQ and dK, not in dV; a
// row with lse = +inf gives exactly zero gradients.

import type { Gpu } from '../../gpu/device';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { attentionBackward } from '../../reference/attentionBackward';
import type { Program, RunOptions, RunResult } from '../program';
import {
  type AttentionBackwardInputs,
  type AttentionBackwardOutputs,
  type BackwardBuffers,
  backwardGpu,
  forwardAndDelta,
  forwardAndDeltaTraceCapacity,
  makeBackwardInputs,
  type TracePasses,
  validateBackward,
} from './backwardCommon';
import { type AttentionParams, attentionKernel, attentionUniformValues, checkDispatch } from './common';
import { naiveSliceRows } from './naiveAttention';

const WG = 64;
/** The forward's params: requested 32×32 tiles (shrunk to the workgroup budget by flashTilesFor). */
const forwardTiles = (p: AttentionParams) => ({ ...p, Br: 32, Bc: 32 });

export interface AttentionBackwardOptions extends RunOptions {
  /** Upper bound on the bytes of one P (or dS) slice; the device's binding limit applies anyway. */
  maxSliceBytes?: number;
}

export function attentionBackwardKernels(gpu: Gpu, trace = false) {
  const opts = { constants: { WG }, trace };
  return Promise.all([
    attentionKernel(
      gpu,
      'attentionBackward.rows',
      ['backwardInputs.wgsl', 'attentionBackwardRows.wgsl', 'common/perWorkgroup.wgsl'],
      opts,
    ),
    attentionKernel(
      gpu,
      'attentionBackward.keys',
      ['attentionBackwardKeys.wgsl', 'common/perWorkgroup.wgsl'],
      opts,
    ),
  ]);
}

/** Trace events: forward, delta, then 9 per query row and 4 per keys workgroup of every slice. */
export function backwardTraceCapacity(gpu: Gpu, p: AttentionParams, sliceRows: number): number {
  const slices = p.b * p.h * Math.ceil(p.sq / sliceRows);
  const keys = Math.ceil((p.sk * p.d) / WG);
  return forwardAndDeltaTraceCapacity(gpu, forwardTiles(p)) + 9 * p.b * p.h * p.sq + 4 * slices * keys;
}

/**
 * The whole chain on given buffers (q, k, v, dout in; o, lse, delta, dq, dk, dv out): forward, delta,
 * and two dispatches per slice, whose P and dS scratch (sliceRows, sk) and uniforms live in `scope`.
 */
export async function attentionBackwardDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: AttentionParams,
  b: BackwardBuffers,
  opts: { sliceRows: number; trace?: boolean },
): Promise<{ dispatches: Dispatch[]; passes: TracePasses }> {
  const scale = checkDispatch('attentionBackward', p, b);
  const start = await forwardAndDelta(gpu, scope, forwardTiles(p), b, opts.trace);
  const [rowsK, keysK] = await attentionBackwardKernels(gpu, opts.trace);
  const { sliceRows } = opts;
  const P = scope.storage('P', sliceRows * p.sk * 4); // (sliceRows, sk)
  const dS = scope.storage('dS', sliceRows * p.sk * 4); // (sliceRows, sk)
  const keys = gridForInvocations(gpu, 'attentionBackward.keys', p.sk * p.d, WG);
  const group = p.h / p.hk;
  const ds = start.dispatches;
  let wg0 = start.wg0;
  for (let bi = 0; bi < p.b; bi++)
    for (let hh = 0; hh < p.h; hh++)
      for (let i0 = 0; i0 < p.sq; i0 += sliceRows) {
        const rows = Math.min(sliceRows, p.sq - i0);
        const first = hh % group === 0 && i0 === 0 ? 1 : 0;
        const slice = { bi, hh, i0, rows, first };
        const ur = uniformFor(scope, rowsK, attentionUniformValues(p, scale, { ...slice, wg0 }));
        wg0 += rows;
        const uk = uniformFor(
          scope,
          keysK,
          attentionUniformValues(p, scale, { ...slice, wg0, count: keys.count }),
        );
        wg0 += keys.count;
        const { q, k, v, dout, lse, delta: dl, dq, dk, dv, trace } = b;
        ds.push(
          {
            kernel: rowsK,
            bindings: { p: ur.buffer, q, k, v, dout, lse, delta: dl, P, dS, dq, trace },
            workgroups: gridFor(gpu, 'attentionBackward.rows', rows).workgroups,
          },
          {
            kernel: keysK,
            bindings: { p: uk.buffer, q, dout, P, dS, dk, dv, trace },
            workgroups: keys.workgroups,
          },
        );
      }
  return { dispatches: ds, passes: { ...start.passes, slices: [start.wg0, wg0] } };
}

export async function attentionBackwardGpu(
  gpu: Gpu,
  p: AttentionParams,
  x: AttentionBackwardInputs,
  opts: AttentionBackwardOptions = {},
): Promise<RunResult<AttentionBackwardOutputs> & { passes: TracePasses }> {
  validateBackward('attentionBackward', p, x);
  const sliceRows = naiveSliceRows(gpu, p, opts.maxSliceBytes);
  const traceEvents = backwardTraceCapacity(gpu, p, sliceRows);
  return backwardGpu(gpu, 'attentionBackward', p, x, { ...opts, traceEvents }, (scope, b) =>
    attentionBackwardDispatch(gpu, scope, p, b, { sliceRows, trace: opts.trace }),
  );
}

export const attentionBackwardProgram: Program<
  AttentionParams,
  AttentionBackwardInputs,
  AttentionBackwardOutputs
> = {
  id: 'attentionBackward',
  title: 'Attention backward (P and dS materialised per row)',
  makeInputs: makeBackwardInputs,
  reference(p, x) {
    const scale = validateBackward('attentionBackward', p, x);
    return attentionBackward(x.q, x.k, x.v, x.dout, p, p.causal, scale);
  },
  run: (gpu, p, x, opts) => attentionBackwardGpu(gpu, p, x, opts),
  tolerance: 1e-4,
};
