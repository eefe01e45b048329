// Shared pieces of the two attention backward programs (the plain form, attentionBackward.ts, and
// FlashAttention-2's, flashAttentionBackward.ts): inputs (q, k, v and dO), outputs (dQ, dK, dV with the
// forward's O, lse and delta), their buffers, the chains' common start (the flash forward and the delta
// preprocess, delta = rowsum(dO ∘ O)), the *Gpu skeleton, and the trace's workgroup ranges per pass.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import type { AttnShape } from '../../reference/attention';
import { Rng } from '../../util/rng';
import type { Host, RunOptions, RunResult } from '../program';
import {
  type AttentionBuffers,
  type AttentionInputs,
  type AttentionParams,
  attentionBuffers,
  attentionKernel,
  attentionSizes,
  attentionUniformValues,
  checkDispatch,
  runAttention,
  validateAttention,
} from './common';
import {
  type FlashAttentionParams,
  flashAttentionDispatch,
  flashTilesFor,
  flashTraceCapacity,
} from './flashAttention';

export interface AttentionBackwardInputs extends AttentionInputs {
  dout: Float32Array; // (b, sq, h, d): dL/dO for the loss L = sum(dout ∘ out)
}
export type AttentionBackwardOutputs = {
  dq: Host; // (b, sq, h, d)
  dk: Host; // (b, sk, h_k, d), summed over each group's query heads
  dv: Host; // (b, sk, h_k, d), likewise
  out: Host; // (b, sq, h, d)
  lse: Host; // (b, h, sq), +inf on a row with no visible key
  delta: Host; // (b, h, sq) rowsum(dout ∘ out)
};

/** The forward's buffers plus dO in and delta, dQ, dK, dV out. */
export interface BackwardBuffers extends AttentionBuffers {
  dout: GPUBuffer; // (b, sq, h, d)
  delta: GPUBuffer; // (b, h, sq)
  dq: GPUBuffer; // (b, sq, h, d)
  dk: GPUBuffer; // (b, sk, h_k, d)
  dv: GPUBuffer; // (b, sk, h_k, d)
}

/** The trace's workgroup ids [from, to) of each pass of a backward chain, in dispatch order. */
export type TracePasses = Record<string, [number, number]>;

export function makeBackwardInputs(p: AttnShape, seed: number): AttentionBackwardInputs {
  const rng = new Rng(seed);
  const n = p.b * p.sq * p.h * p.d;
  const kv = p.b * p.sk * p.hk * p.d;
  return { q: rng.normals(n), k: rng.normals(kv), v: rng.normals(kv), dout: rng.normals(n) };
}

/** Checks shapes, scale and dO before anything is allocated; returns the softmax scale. */
export function validateBackward(label: string, p: AttentionParams, x: AttentionBackwardInputs): number {
  const scale = validateAttention(label, p, x);
  if (!x.dout || x.dout.length !== x.q.length)
    throw new EngineError(label, `dout has ${x.dout?.length ?? 0} values, want ${x.q.length} (like q)`);
  return scale;
}

function backwardBuffers(
  scope: BufferScope,
  p: AttnShape,
  x: AttentionBackwardInputs,
  traceEvents: number,
): BackwardBuffers {
  const n = attentionSizes(p);
  return {
    ...attentionBuffers(scope, p, x, traceEvents),
    dout: scope.upload('dout', x.dout),
    delta: scope.storage('delta', n.delta * 4),
    dq: scope.storage('dq', n.dq * 4),
    dk: scope.storage('dk', n.dk * 4),
    dv: scope.storage('dv', n.dv * 4),
  };
}

const DELTA_WG = 64;

/** The preprocess on given buffers: delta = rowsum(dout ∘ o), one invocation per query row. */
export async function deltaDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: AttentionParams,
  b: Pick<BackwardBuffers, 'o' | 'dout' | 'delta' | 'trace'>,
  opts: { trace?: boolean; wg0?: number } = {},
): Promise<Dispatch & { count: number }> {
  const { o, dout, delta, trace } = b;
  const scale = checkDispatch('attentionBackward.delta', p, { o, dout, delta });
  const k = await attentionKernel(
    gpu,
    'attentionBackward.delta',
    ['attentionDelta.wgsl', 'common/perWorkgroup.wgsl'],
    {
      constants: { WG: DELTA_WG },
      trace: opts.trace,
    },
  );
  const grid = gridForInvocations(gpu, 'attentionBackward.delta', p.b * p.h * p.sq, DELTA_WG);
  const u = uniformFor(scope, k, attentionUniformValues(p, scale, { count: grid.count, wg0: opts.wg0 }));
  const bindings = { p: u.buffer, o, dout, delta, trace };
  return { kernel: k, bindings, workgroups: grid.workgroups, count: grid.count };
}

/**
 * The start of both backward chains on given buffers: the flash forward (O, lse) and the delta
 * preprocess, their trace passes, and `wg0`, the first trace workgroup id of the chain's next pass.
 */
export async function forwardAndDelta(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashAttentionParams,
  b: BackwardBuffers,
  trace = false,
): Promise<{ dispatches: Dispatch[]; passes: TracePasses; wg0: number }> {
  const { q, k, v, o, lse } = b;
  const fwd = await flashAttentionDispatch(gpu, scope, p, { q, k, v, o, lse, trace: b.trace }, trace);
  const nFwd = p.b * p.h * Math.ceil(p.sq / fwd.Br);
  const delta = await deltaDispatch(gpu, scope, p, b, { trace, wg0: nFwd });
  const wg0 = nFwd + delta.count;
  return { dispatches: [fwd, delta], passes: { forward: [0, nFwd], delta: [nFwd, wg0] }, wg0 };
}

/** Trace events of forwardAndDelta: the forward's, then 4 per delta workgroup. */
export function forwardAndDeltaTraceCapacity(gpu: Gpu, p: FlashAttentionParams): number {
  const { Br, Bc } = flashTilesFor(gpu, p);
  return flashTraceCapacity(p, Br, Bc) + 4 * Math.ceil((p.b * p.h * p.sq) / DELTA_WG);
}

/**
 * A backward program's *Gpu on checked params and inputs: uploads q, k, v, dO with the outputs and a trace
 * of `traceEvents` records (when traced), runs the chain `build` makes on them, reads back the gradients,
 * O, lse and delta; what else the chain returns (its trace passes, tiles) joins the result.
 */
export async function backwardGpu<E extends object>(
  gpu: Gpu,
  label: string,
  p: AttnShape,
  x: AttentionBackwardInputs,
  opts: RunOptions & { traceEvents: number },
  build: (scope: BufferScope, b: BackwardBuffers) => Promise<{ dispatches: Dispatch[] } & E>,
): Promise<RunResult<AttentionBackwardOutputs> & Omit<E, 'dispatches'>> {
  const n = attentionSizes(p);
  let extra = {} as Omit<E, 'dispatches'>;
  const run = await runAttention(gpu, label, opts, async (scope) => {
    const b = backwardBuffers(scope, p, x, opts.trace ? opts.traceEvents : 0);
    const { dispatches, ...rest } = await build(scope, b);
    extra = rest;
    const read = {
      dq: [b.dq, n.dq],
      dk: [b.dk, n.dk],
      dv: [b.dv, n.dv],
      out: [b.o, n.o],
      lse: [b.lse, n.lse],
      delta: [b.delta, n.delta],
    } satisfies Record<keyof AttentionBackwardOutputs, [GPUBuffer, number]>;
    return { dispatches, read, trace: b.trace };
  });
  return { ...run, ...extra };
}
