// Shared pieces of the two attention backward programs (the plain form, attentionBackward.ts, and
// FlashAttention-2's, flashAttentionBackward.ts): inputs (q, k, v and dO), outputs (dQ, dK, dV with the
// forward's O, lse and delta), their buffers, the delta preprocess dispatch (delta = rowsum(dO ∘ O)),
// one submission with readback, and the trace's workgroup ranges per pass of the chain.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import type { AttnShape } from '../../reference/attention';
import { readTrace } from '../../trace/events';
import { Rng } from '../../util/rng';
import type { Host, RunOptions, RunResult } from '../program';
import {
  ATTENTION_TRACE,
  type AttentionBuffers,
  type AttentionInputs,
  type AttentionParams,
  attentionBuffers,
  attentionKernel,
  attentionSizes,
  attentionUniformValues,
  checkDispatch,
  validateAttention,
} from './common';
import { type FlashAttentionParams, flashAttentionDispatch } from './flashAttention';

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

export function backwardBuffers(
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
  const k = await attentionKernel(gpu, 'attentionBackward.delta', ['attentionDelta.wgsl'], {
    constants: { WG: DELTA_WG },
    trace: opts.trace,
  });
  const grid = gridForInvocations(gpu, 'attentionBackward.delta', p.b * p.h * p.sq, DELTA_WG);
  const u = uniformFor(scope, k, attentionUniformValues(p, scale, { count: grid.count, wg0: opts.wg0 }));
  const bindings = { p: u.buffer, o, dout, delta, trace };
  return { kernel: k, bindings, workgroups: grid.workgroups, count: grid.count };
}

/** The flash forward on the forward's buffers of a backward chain (O and lse for the gradients). */
export function forwardDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashAttentionParams,
  b: BackwardBuffers,
  trace?: boolean,
) {
  const { q, k, v, o, lse } = b;
  return flashAttentionDispatch(gpu, scope, p, { q, k, v, o, lse, trace: b.trace }, trace);
}

/** Trace events of the delta pass (4 per workgroup). */
export const deltaTraceCapacity = (p: AttnShape) => 4 * Math.ceil((p.b * p.h * p.sq) / DELTA_WG);

/** Runs the chain in one submission and reads back the gradients, O, lse, delta and (when asked) the trace. */
export async function runBackward(
  gpu: Gpu,
  label: string,
  p: AttnShape,
  b: BackwardBuffers,
  ds: Dispatch[],
  opts: RunOptions,
): Promise<RunResult<AttentionBackwardOutputs>> {
  const n = attentionSizes(p);
  const { gpuMs, dispatches } = await runDispatches(gpu, label, ds, { time: opts.time });
  const read = (buf: GPUBuffer, count: number) => readF32(gpu, buf, count);
  return {
    outputs: {
      dq: await read(b.dq, n.dq),
      dk: await read(b.dk, n.dk),
      dv: await read(b.dv, n.dv),
      out: await read(b.o, n.o),
      lse: await read(b.lse, n.lse),
      delta: await read(b.delta, n.delta),
    },
    gpuMs,
    trace: opts.trace ? await readTrace(gpu, b.trace, ATTENTION_TRACE) : null,
    dispatches,
  };
}
