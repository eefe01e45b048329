// What the family's trace tests check alike (imported by *.test.ts only): tracing changes no result bit.

import { expect } from 'vitest';

/** Bitwise equality of two float32 results. */
export const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  expect(Buffer.from(Float32Array.from(a).buffer).equals(Buffer.from(Float32Array.from(b).buffer))).toBe(
    true,
  );
