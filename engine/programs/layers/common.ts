// What the layers family's programs share: float32 host copies, the upload-dispatch-readback skeleton of
// every *Gpu function (one BufferScope, one submission, every buffer freed whatever happens), and the
// RunResult of a Program built from it.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, type DispatchRecord, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import type { TraceCapture } from '../../trace/events';
import type { Host, RunResult } from '../program';

/** Host values as float32 for upload; absent becomes `fill` zeros (a placeholder binding). */
export const f32 = (v: ArrayLike<number> | null | undefined, fill = 1): Float32Array =>
  v ? Float32Array.from(v) : new Float32Array(fill);

/** Throws an EngineError unless every size is a whole number >= 1. */
export function checkSizes(label: string, sizes: Record<string, number>): void {
  for (const [k, v] of Object.entries(sizes))
    if (!Number.isInteger(v) || v < 1) throw new EngineError(label, `${k} must be an integer >= 1, got ${v}`);
}

/** Throws an EngineError when a host array does not hold `n` values. */
export function checkLength(label: string, name: string, a: ArrayLike<number> | null | undefined, n: number) {
  if (a && a.length !== n) throw new EngineError(label, `${name} has ${a.length} values, want ${n}`);
}

/** What a *Gpu function returns besides its outputs. */
export interface GpuRun {
  gpuMs: number | null;
  dispatches: DispatchRecord[];
  trace: TraceCapture | null;
}

/**
 * The *Gpu skeleton: build the dispatches in a fresh scope, run them in one submission, read back the
 * named outputs (buffer, float count), then `after` (a trace readback), and free every buffer.
 */
export async function runLayer<K extends string>(
  gpu: Gpu,
  label: string,
  build: (scope: BufferScope) => Promise<{
    dispatches: Dispatch[];
    read: Record<K, [GPUBuffer, number]>;
    after?: () => Promise<TraceCapture | null>;
  }>,
  time = false,
): Promise<Record<K, Float32Array> & GpuRun> {
  const scope = new BufferScope(gpu, label);
  try {
    const b = await build(scope);
    const run = await runDispatches(gpu, label, b.dispatches, { time });
    const out = {} as Record<K, Float32Array>;
    for (const [k, [buf, n]] of Object.entries(b.read) as Array<[K, [GPUBuffer, number]]>)
      out[k] = await readF32(gpu, buf, n);
    const trace = b.after ? await b.after() : null;
    return { ...out, gpuMs: run.gpuMs, dispatches: run.dispatches, trace };
  } finally {
    scope.release();
  }
}

/** A Program's RunResult from a *Gpu result and the outputs picked from it. */
export const runResult = <O extends Record<string, Host>>(r: GpuRun, outputs: O): RunResult<O> => ({
  outputs,
  gpuMs: r.gpuMs,
  trace: r.trace,
  dispatches: r.dispatches,
});
