// The upload → dispatch → readback skeleton every family's *Gpu functions share: build the dispatches on
// buffers made in a fresh BufferScope, run them in one submission, read the named outputs back, and free
// every buffer whatever happens (or, for what outlives the call, keep them unless the build fails). Nothing
// family-specific: what to upload and dispatch is the caller's.

import type { Gpu } from './device';
import { type Dispatch, type DispatchRecord, runDispatches } from './kernel';
import { BufferScope, readF32 } from './tensor';

type Build<T> = (scope: BufferScope) => Promise<T>;

/** Runs `fn` with a new BufferScope named `label`; releases it when `fn` ends, or only if it throws (`keep`). */
async function withScope<T>(gpu: Gpu, label: string, fn: Build<T>, keep: boolean): Promise<T> {
  const scope = new BufferScope(gpu, label);
  let kept = false;
  try {
    const built = await fn(scope);
    kept = keep;
    return built;
  } finally {
    if (!kept) scope.release();
  }
}

/** Runs `fn` with a new BufferScope named `label` and releases every buffer it made, whatever happens. */
export const inScope = <T>(gpu: Gpu, label: string, fn: Build<T>): Promise<T> =>
  withScope(gpu, label, fn, false);

/**
 * Builds something that owns a new BufferScope named `label` (a stepper, say, whose free() releases it): the
 * buffers stay with what `fn` returns, and are all released at once if it throws.
 */
export const buildInScope = <T>(gpu: Gpu, label: string, fn: Build<T>): Promise<T> =>
  withScope(gpu, label, fn, true);

/** What a run returns besides its outputs: its GPU time (null untimed) and a record of every dispatch. */
export interface RunRecord {
  gpuMs: number | null;
  dispatches: DispatchRecord[];
}

/** A run to make: its dispatches, the outputs to read back (buffer, float count), then what else to read. */
export interface RunPlan<K extends string, E> {
  dispatches: Dispatch[];
  read: Record<K, [GPUBuffer, number]>;
  /** Read after the outputs (a trace capture, say); its fields join the result. */
  after?: () => Promise<E>;
}

/**
 * Builds the plan in a fresh scope (its uploads there), runs its dispatches in one submission, reads back
 * the named outputs as float32, then `after`, and frees every buffer.
 */
export function runAndRead<K extends string, E extends object = object>(
  gpu: Gpu,
  label: string,
  build: (scope: BufferScope) => Promise<RunPlan<K, E>>,
  time = false,
): Promise<Record<K, Float32Array> & RunRecord & E> {
  return inScope(gpu, label, async (scope) => {
    const b = await build(scope);
    const run = await runDispatches(gpu, label, b.dispatches, { time });
    const out = {} as Record<K, Float32Array>;
    for (const [k, [buf, n]] of Object.entries(b.read) as Array<[K, [GPUBuffer, number]]>)
      out[k] = await readF32(gpu, buf, n);
    const extra = b.after ? await b.after() : ({} as E);
    return { ...out, ...extra, gpuMs: run.gpuMs, dispatches: run.dispatches };
  });
}
