// The Program interface: one per algorithm, shared by the stages, the golden runner, the tests and the
// benchmark. The CPU backend is `reference`; the GPU backend is `run`. Both take the same inputs.

import type { Gpu } from '../gpu/device';
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
  return { outputs: program.reference(params, inputs), gpuMs: null, trace: null, backend: 'cpu' };
}
