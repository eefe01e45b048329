// passTimes: a timed run's passes summed by kernel label in the order they first ran, and nothing where a
// pass lacks its time or there is only one (the row's own time says it all).

import { describe, expect, it } from 'vitest';
import type { DispatchRecord } from '../gpu/kernel';
import { passTimes, planRefusal } from './harness';

const pass = (label: string, gpuMs?: number) =>
  ({ label, ...(gpuMs === undefined ? {} : { gpuMs }) }) as unknown as DispatchRecord;

describe('passTimes', () => {
  it('sums the passes of each kernel, in the order the kernels first ran', () => {
    const rec = { gpuMs: 1, dispatches: [pass('a', 0.5), pass('b', 0.25), pass('a', 0.125), pass('c', 0)] };
    expect(passTimes(rec)).toEqual([
      { label: 'a', count: 2, ms: 0.625 },
      { label: 'b', count: 1, ms: 0.25 },
      { label: 'c', count: 1, ms: 0 },
    ]);
  });

  it('gives nothing for one pass, or where a pass was not timed (wall clock, too many passes)', () => {
    expect(passTimes({ dispatches: [pass('a', 1)] })).toBeNull();
    expect(passTimes({ dispatches: [pass('a'), pass('b')] })).toBeNull();
    expect(passTimes({ dispatches: [pass('a', 1), pass('b')] })).toBeNull();
  });
});

describe('planRefusal', () => {
  it("gives a throwing planner's message as the variant's reason, and null where it plans", () => {
    expect(planRefusal(() => ({ wg: 64 }))).toBeNull();
    expect(
      planRefusal(() => {
        throw new Error('the warps kernel needs one subgroup size');
      }),
    ).toBe('the warps kernel needs one subgroup size');
  });
});
