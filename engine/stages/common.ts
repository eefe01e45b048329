// What the block stages (mamba.ts, ssd.ts) share: the check of their integer size ranges, the check of
// their host arrays' lengths, the dt_proj / dt_bias init of Mamba's modules, and the run of a block's
// dispatches in one submission with the read back of what the stage shows. Stages may share; families may
// not import them.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import { type Dispatch, runDispatches } from '../gpu/kernel';
import { inScope } from '../gpu/run';
import type { BufferScope } from '../gpu/tensor';
import { readTrace } from '../trace/events';
import type { TraceTable } from '../trace/tensors';
import type { Rng } from '../util/rng';
import type { Host, RunOptions, RunResult } from '../programs/program';

/** Throws an EngineError (labelled `label`) naming the first size that is not an integer in its range. */
export function checkRanges<K extends string>(
  label: string,
  limits: Readonly<Record<K, readonly [number, number]>>,
  p: NoInfer<Readonly<Record<K, number>>>,
): void {
  for (const [k, [lo, hi]] of Object.entries(limits) as Array<[K, readonly [number, number]]>) {
    const v = p[k];
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new EngineError(label, `${k} must be an integer in ${lo}..${hi} (got ${v})`);
  }
}

/** Throws an EngineError naming the first given array whose length is none of the lengths it may have. */
export function checkLengths(
  label: string,
  want: ReadonlyArray<[string, ArrayLike<number> | null | undefined, number | readonly number[]]>,
): void {
  for (const [name, a, n] of want) {
    const ok = typeof n === 'number' ? [n] : n;
    if (a && !ok.includes(a.length))
      throw new EngineError(label, `${name} has ${a.length} values, want ${ok.join(' or ')}`);
  }
}

/** Mamba's dt init: dt = exp(U(log 1e-3, log 1e-1)) (at least 1e-4), as its bias softplus⁻¹(dt). */
export function initDtBias(rng: Rng, n: number): Float32Array {
  const dts = rng.uniforms(n, Math.log(1e-3), Math.log(1e-1)).map((v) => Math.max(Math.exp(v), 1e-4));
  return dts.map((d) => d + Math.log(-Math.expm1(-d)));
}

/**
 * A block's run: its dispatches built in a fresh scope and run in one submission, `read` of what the stage
 * shows, the trace decoded with `table` when asked for, and every buffer freed.
 */
export function runBlock<B extends { trace: GPUBuffer }, O extends Record<string, Host>>(
  gpu: Gpu,
  label: string,
  table: TraceTable,
  build: (scope: BufferScope, traced: boolean) => Promise<{ dispatches: Dispatch[]; b: B }>,
  read: (b: B) => Promise<O>,
  opts: RunOptions,
): Promise<RunResult<O>> {
  return inScope(gpu, label, async (scope) => {
    const { dispatches, b } = await build(scope, opts.trace ?? false);
    const run = await runDispatches(gpu, label, dispatches, { time: opts.time });
    const outputs = await read(b);
    const trace = opts.trace ? await readTrace(gpu, b.trace, table) : null;
    return { outputs, gpuMs: run.gpuMs, trace, dispatches: run.dispatches };
  });
}
