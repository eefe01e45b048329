// Test helpers the families share (imported by *.test.ts only): values within a relative tolerance, a
// program's run against its reference, runs refused without a leak, a stepper disposed mid-step, and tracing changes no result bit.

import { expect } from 'vitest';
import { relCheck } from './compare';

/** Expects `got` within `rel` (relative, compare.ts's relCheck) of `want`; `what` names the values on failure. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, what = ''): void {
  const r = relCheck(got, want, rel);
  expect(r.err, `${what ? `${what}: ` : ''}err ${r.err} > bound ${r.bound}`).toBeLessThanOrEqual(r.bound);
}

/**
 * Runs a program twice through `run`, tracing off then on, and expects every output of the two runs equal
 * bit for bit (as float32). Returns both runs.
 */
export async function tracedAndNot<R extends { outputs: object }>(
  run: (opts: { trace?: boolean }) => Promise<R>,
): Promise<{ off: R; on: R }> {
  const off = await run({});
  const on = await run({ trace: true });
  const outputs = (r: R) => r.outputs as Record<string, ArrayLike<number>>;
  for (const [k, v] of Object.entries(outputs(off))) {
    const bits = (a: ArrayLike<number>) => Buffer.from(Float32Array.from(a).buffer);
    expect(bits(outputs(on)[k]).equals(bits(v)), k).toBe(true);
  }
  return { off, on };
}

/**
 * Disposes `stepper` while a step is in flight, `before` being the GPU's live buffers before it was made:
 * its buffers stay until that step resolves, are all freed then, and a later step is refused. Returns the
 * value of the step that was in flight.
 */
export async function disposeMidStep<S>(
  gpu: { liveBuffers: { size: number } },
  before: number,
  stepper: { step(): Promise<S>; dispose(): void },
): Promise<S> {
  const inFlight = stepper.step();
  stepper.dispose();
  expect(gpu.liveBuffers.size).toBeGreaterThan(before);
  const got = await inFlight;
  expect(gpu.liveBuffers.size).toBe(before);
  await expect(stepper.step()).rejects.toThrow(/disposed/);
  return got;
}

/**
 * A program's run on its inputs for (p, seed) against its reference: every output the reference gives within
 * `rel` (the program's tolerance unless given), and no GPU buffer left behind. Returns the run.
 */
export async function expectLikeReference<G extends { liveBuffers: { size: number } }, P, I, R>(
  gpu: G,
  program: {
    makeInputs(p: P, seed: number): I;
    reference(p: P, x: I): Record<string, ArrayLike<number>>;
    run(gpu: G, p: P, x: I): Promise<R & { outputs: Record<string, ArrayLike<number>> }>;
    tolerance: number;
  },
  p: P,
  seed: number,
  rel = program.tolerance,
): Promise<R> {
  const x = program.makeInputs(p, seed);
  const before = gpu.liveBuffers.size;
  const got = await program.run(gpu, p, x);
  for (const [name, want] of Object.entries(program.reference(p, x)))
    expectClose(got.outputs[name], want, rel, name);
  expect(gpu.liveBuffers.size).toBe(before);
  return got;
}

/** Each run is refused with its message, and none of them leaves a GPU buffer behind. */
export async function expectRefused(
  gpu: { liveBuffers: { size: number } },
  runs: ReadonlyArray<[() => Promise<unknown>, RegExp]>,
): Promise<void> {
  const before = gpu.liveBuffers.size;
  for (const [run, message] of runs) await expect(run()).rejects.toThrow(message);
  expect(gpu.liveBuffers.size).toBe(before);
}
