// Workgroup grids past the per-dimension limit (65,535 on most devices): the one place that limit lives.
// A program asks for `count` workgroups along one linear index; gridFor folds it into (x, y, z), and the
// kernel recovers the index with linearWorkgroup() from shaders/common/grid.wgsl and skips the overshoot.

import type { Gpu } from './device';
import { EngineError } from './errors';

export interface Grid {
  /** What to dispatch: x * y * z >= count, each within maxComputeWorkgroupsPerDimension. */
  workgroups: [number, number, number];
  /** Workgroups wanted; linear ids at or past this are overshoot and must return at once. */
  count: number;
}

/** Splits n into ceil(n / parts) sized pieces, the fewest parts such that each fits in max. */
function balanced(n: number, max: number): [per: number, parts: number] {
  const parts = Math.ceil(n / max);
  return [Math.ceil(n / parts), parts];
}

/**
 * Folds `count` workgroups into a grid the device accepts. Balanced: 70,001 workgroups become
 * 35,001 × 2 (one spare), not 65,535 × 2. Throws an EngineError naming `label` past max³.
 */
export function gridFor(gpu: Gpu, label: string, count: number): Grid {
  if (!Number.isInteger(count) || count < 0)
    throw new EngineError(label, `workgroup count must be a whole number >= 0 (got ${count})`);
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  if (count === 0) return { workgroups: [0, 1, 1], count };
  const [x, rows] = balanced(count, max);
  const [y, z] = balanced(rows, max);
  if (z > max) throw new EngineError(label, `${count} workgroups exceed a ${max}³ grid`);
  return { workgroups: [x, y, z], count };
}

/** Invocations rather than workgroups: ceil(invocations / wg) workgroups of wg invocations each. */
export function gridForInvocations(gpu: Gpu, label: string, invocations: number, wg: number): Grid {
  return gridFor(gpu, label, Math.ceil(Math.max(0, invocations) / wg));
}
