// What the layers family's programs share: float32 host copies, size and length checks, and the RunResult
// of a Program built from what a *Gpu function returns (each runs in runAndRead, engine/gpu/run.ts: one
// BufferScope, one submission, every buffer freed whatever happens).

import { EngineError } from '../../gpu/errors';
import type { RunRecord } from '../../gpu/run';
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

/** What a *Gpu function returns besides its outputs (runAndRead, engine/gpu/run.ts, gives the first two). */
export interface GpuRun extends RunRecord {
  trace?: TraceCapture | null;
}

/** A Program's RunResult from a *Gpu result and the outputs picked from it. */
export const runResult = <O extends Record<string, Host>>(r: GpuRun, outputs: O): RunResult<O> => ({
  outputs,
  gpuMs: r.gpuMs,
  trace: r.trace ?? null,
  dispatches: r.dispatches,
});
