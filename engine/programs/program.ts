// The Program and Stepper interfaces: one program per algorithm, shared by the stages, the golden runner,
// the tests and the benchmark; one stepper shape for everything a stage animates. The CPU backend is
// `reference`; the GPU backend is `run`. Both take the same inputs.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import type { DispatchRecord } from '../gpu/kernel';
import type { TraceCapture } from '../trace/events';

/** Host tensors: flat row-major arrays. The shape comment lives beside each field in the program. */
export type Host = Float32Array | Float64Array;

export interface RunOptions {
  /** Record trace events (the instrumented variant, TRACE override on). */
  trace?: boolean;
  /** Measure GPU time with timestamp queries where the device has them. */
  time?: boolean;
}

export interface RunResult<O> {
  outputs: O;
  /** GPU time of the dispatches in ms, or null where timestamps are unavailable or not asked for. */
  gpuMs: number | null;
  trace: TraceCapture | null;
  /** Every dispatch the run made, in order (empty on the CPU). */
  dispatches: DispatchRecord[];
}

export interface Program<P, I, O extends Record<string, Host>> {
  id: string;
  title: string;
  /** Deterministic inputs for `params` from `seed`. */
  makeInputs(params: P, seed: number): I;
  /** CPU reference (float64), the ground truth the UI also shows. */
  reference(params: P, inputs: I): O;
  /** The WebGPU version. */
  run(gpu: Gpu, params: P, inputs: I, opts?: RunOptions): Promise<RunResult<O>>;
  /** Relative tolerance: |gpu - ref| <= tolerance * max(1, max|ref|). */
  tolerance: number;
}

/** Runs either backend behind one call, so a stage never cares which one it got. */
export async function runOn<P, I, O extends Record<string, Host>>(
  program: Program<P, I, O>,
  gpu: Gpu | null,
  params: P,
  inputs: I,
  opts: RunOptions = {},
): Promise<RunResult<O> & { backend: 'webgpu' | 'cpu' }> {
  if (gpu && gpu.status === 'ok')
    return { ...(await program.run(gpu, params, inputs, opts)), backend: 'webgpu' };
  return {
    outputs: program.reference(params, inputs),
    gpuMs: null,
    trace: null,
    dispatches: [],
    backend: 'cpu',
  };
}

/**
 * Something a stage animates one step at a time, on the GPU or the CPU. `step()` runs step `k` and
 * resolves to the state read back after it; `k` then counts it. Past `count`, after dispose(), or while
 * another step is in flight, step() rejects with an EngineError.
 */
export interface Stepper<S> {
  readonly backend: 'webgpu' | 'cpu';
  /** Steps in all. */
  readonly count: number;
  /** Steps taken so far (0 before the first). */
  readonly k: number;
  step(): Promise<S>;
  /** Back to before step 0. */
  reset(): Promise<void>;
  /** Frees what the stepper holds; safe to call twice, and while a step is in flight (it frees after it). */
  dispose(): void;
}

export interface StepperParts<S> {
  backend: 'webgpu' | 'cpu';
  count: number;
  /** Runs step k (0-based) and returns the state after it. */
  advance(k: number): Promise<S> | S;
  reset?(): Promise<void> | void;
  /** Frees buffers; never called while advance() or reset() is running. */
  free?(): void;
}

/** The one stepper skeleton: counting, the end, disposal, and no buffer freed under a running step. */
export function makeStepper<S>(label: string, parts: StepperParts<S>): Stepper<S> {
  let k = 0;
  let busy: Promise<unknown> | null = null;
  let disposed = false;
  let freed = false;
  const free = () => {
    if (!freed) {
      freed = true;
      parts.free?.();
    }
  };
  const exclusive = async <T>(what: string, fn: () => Promise<T> | T): Promise<T> => {
    if (disposed) throw new EngineError(label, `${what}: the stepper was disposed`);
    if (busy) throw new EngineError(label, `${what}: another step is still running`);
    const run = (async () => fn())();
    busy = run;
    try {
      return await run;
    } finally {
      busy = null;
      if (disposed) free();
    }
  };
  return {
    backend: parts.backend,
    count: parts.count,
    get k() {
      return k;
    },
    step() {
      if (k >= parts.count)
        return Promise.reject(
          new EngineError(label, `all ${parts.count} steps are done; reset() to start again`),
        );
      return exclusive('step', async () => {
        const s = await parts.advance(k);
        k++;
        return s;
      });
    },
    reset() {
      return exclusive('reset', async () => {
        await parts.reset?.();
        k = 0;
      });
    },
    dispose() {
      disposed = true;
      if (!busy) free();
    },
  };
}
