// naiveAttention: attention that materialises S = scale·QKᵀ (masked) and P = softmax(S) in storage
// buffers (three kernels: scores, softmax rows -> P and lse, O = PV), the baseline FlashAttention beats.
// Large problems are processed in slices of (batch, head, block of query rows) so that each S and P
// slice fits one storage binding; a single S row that does not fit is refused before any allocation.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import {
  type AttentionBuffers,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  attentionKernel,
  attentionUniformValues,
  checkDispatch,
  forwardGpu,
  softmaxProgram,
  validateAttention,
} from './common';
import type { RunOptions, RunResult } from '../program';

const TS = 16;
const PV_WG = 64;

export interface NaiveAttentionOptions extends RunOptions {
  /** Upper bound on the bytes of one S (or P) slice; the device's binding limit applies anyway. */
  maxSliceBytes?: number;
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** Query rows per slice so that a (rows, sk) f32 slice fits `limit` bytes. */
export function naiveSliceRows(
  gpu: Gpu,
  p: AttentionParams,
  maxSliceBytes = Number.POSITIVE_INFINITY,
): number {
  const limit = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize, maxSliceBytes);
  const rows = Math.floor(limit / (p.sk * 4));
  if (rows < 1) {
    throw new EngineError(
      'naiveAttention',
      `one row of S (sk=${p.sk}) needs ${p.sk * 4} bytes, more than the ${limit}-byte slice limit`,
    );
  }
  return Math.min(rows, p.sq);
}

/** The three kernels; softmax keeps ceil(sk / WG) scores per invocation in registers. */
export function naiveAttentionKernels(gpu: Gpu, p: AttentionParams, trace = false) {
  const smWg = Math.min(256, Math.max(32, nextPow2(p.sk)));
  const smPt = nextPow2(Math.ceil(p.sk / smWg));
  return Promise.all([
    attentionKernel(gpu, 'naiveAttention.scores', ['naiveAttentionScores.wgsl'], {
      constants: { TS },
      trace,
    }),
    attentionKernel(gpu, 'naiveAttention.softmax', ['rowReduce.wgsl', 'naiveAttentionSoftmax.wgsl'], {
      prelude: `const WG: u32 = ${smWg}u;\nconst PT: u32 = ${smPt}u;\n`,
      trace,
    }),
    attentionKernel(gpu, 'naiveAttention.pv', ['naiveAttentionPv.wgsl'], {
      prelude: `const WG: u32 = ${PV_WG}u;\nconst DPT: u32 = ${Math.ceil(p.d / PV_WG)}u;\n`,
      trace,
    }),
  ]);
}

/** Slices of (batch, head, rows query rows) and trace events per slice. */
export function naiveSlices(p: AttentionParams, sliceRows: number) {
  const slices = p.b * p.h * Math.ceil(p.sq / sliceRows);
  const perSlice = 3 * (Math.ceil(sliceRows / TS) * Math.ceil(p.sk / TS) + 2 * sliceRows);
  return { slices, traceCapacity: slices * perSlice };
}

/**
 * Three dispatches per slice (scores, softmax, PV) on given buffers; the slices' S and P scratch
 * (sliceRows, sk) and their uniforms are allocated in `scope`.
 */
export async function naiveAttentionDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: AttentionParams,
  b: AttentionBuffers,
  opts: { sliceRows: number; trace?: boolean },
): Promise<Dispatch[]> {
  const scale = checkDispatch('naiveAttention', p, b);
  const [scores, softmax, pv] = await naiveAttentionKernels(gpu, p, opts.trace);
  const { sliceRows } = opts;
  const S = scope.storage('S', sliceRows * p.sk * 4); // (sliceRows, sk)
  const P = scope.storage('P', sliceRows * p.sk * 4); // (sliceRows, sk)
  const dispatches: Dispatch[] = [];
  for (let bi = 0; bi < p.b; bi++) {
    for (let hh = 0; hh < p.h; hh++) {
      for (let i0 = 0; i0 < p.sq; i0 += sliceRows) {
        const rows = Math.min(sliceRows, p.sq - i0);
        const slice = uniformFor(
          scope,
          scores,
          attentionUniformValues(p, scale, { bi, hh, i0, rows }),
        ).buffer;
        const perRow = gridFor(gpu, 'naiveAttention', rows).workgroups;
        const tiles = Math.ceil(p.sk / TS) * Math.ceil(rows / TS);
        dispatches.push(
          {
            kernel: scores,
            bindings: { p: slice, q: b.q, k: b.k, S, trace: b.trace },
            workgroups: gridFor(gpu, 'naiveAttention.scores', tiles).workgroups,
          },
          { kernel: softmax, bindings: { p: slice, S, P, lse: b.lse, trace: b.trace }, workgroups: perRow },
          { kernel: pv, bindings: { p: slice, P, v: b.v, o: b.o, trace: b.trace }, workgroups: perRow },
        );
      }
    }
  }
  return dispatches;
}

export async function naiveAttentionGpu(
  gpu: Gpu,
  p: AttentionParams,
  x: AttentionInputs,
  opts: NaiveAttentionOptions = {},
): Promise<RunResult<AttentionOutputs> & { slices: number }> {
  validateAttention('naiveAttention', p, x);
  const sliceRows = naiveSliceRows(gpu, p, opts.maxSliceBytes);
  const { slices, traceCapacity } = naiveSlices(p, sliceRows);
  const run = await forwardGpu(
    gpu,
    'naiveAttention',
    p,
    x,
    { ...opts, traceEvents: traceCapacity },
    async (scope, b) => ({
      dispatches: await naiveAttentionDispatch(gpu, scope, p, b, { sliceRows, trace: opts.trace }),
    }),
  );
  return { ...run, slices };
}

export const naiveAttentionProgram = softmaxProgram<AttentionParams>({
  id: 'naiveAttention',
  title: 'Standard attention (S and P materialised in memory)',
  run: (gpu, p, x, opts) => naiveAttentionGpu(gpu, p, x, opts),
  tolerance: 1e-4,
});
