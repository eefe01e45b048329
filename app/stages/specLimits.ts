// For the stages' parameter tests: a stage's specs against its engine limits, and the parameter sets a
// reader can reach from the defaults (each number at its min and max, each choice's options), which the
// engine's validation must all accept.

import { expect } from 'vitest';
import { defaultParams, type ParamSpec, type ParamValue } from './types';

/** Every number spec lies inside its engine limit [lo, hi] (by key) and holds its default. */
export function expectInsideLimits(
  specs: readonly ParamSpec[],
  limits: Readonly<Record<string, readonly [number, number]>>,
): void {
  for (const spec of specs) {
    if (spec.kind !== 'number') continue;
    const [lo, hi] = limits[spec.key];
    expect(spec.min, spec.key).toBeGreaterThanOrEqual(lo);
    expect(spec.max, spec.key).toBeLessThanOrEqual(hi);
    expect(spec.default, spec.key).toBeGreaterThanOrEqual(spec.min);
    expect(spec.default, spec.key).toBeLessThanOrEqual(spec.max);
  }
}

/** The defaults, then one change of one spec at a time: a number to its min and max, a choice to each option. */
export function reachableParams(specs: readonly ParamSpec[]): Record<string, ParamValue>[] {
  const base = defaultParams(specs);
  const out = [base];
  for (const spec of specs) {
    if (spec.kind === 'number')
      out.push({ ...base, [spec.key]: spec.min }, { ...base, [spec.key]: spec.max });
    else if (spec.kind === 'choice') for (const o of spec.options) out.push({ ...base, [spec.key]: o });
  }
  return out;
}
