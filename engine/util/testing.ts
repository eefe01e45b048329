// Test helpers the families share (imported by *.test.ts only): tracing changes no result bit.

import { expect } from 'vitest';

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
