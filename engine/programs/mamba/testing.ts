// What the family's scan tests share (imported by *.test.ts only): the small selective scan they vary.

import type { SelectiveScanInputs, SelectiveScanParams } from '../../reference/mamba';
import { makeScanInputs } from './common';

/** A real scan of batch 2, D 5, N 7 with softplus(δ) and one group of B and C; `over` sets L, chunk and the rest. */
export const scanCase = (
  over: Partial<SelectiveScanParams> & Pick<SelectiveScanParams, 'L'>,
): SelectiveScanParams => ({
  batch: 2,
  D: 5,
  N: 7,
  complex: false,
  bGroups: 1,
  cGroups: 1,
  deltaSoftplus: true,
  ...over,
});

/**
 * Seeded inputs for a kernel test. Without softplus the kernels take δ as it is: they get the positive steps
 * softplus would have made.
 */
export function kernelScanInputs(
  p: SelectiveScanParams,
  seed: number,
  withOptional = true,
): SelectiveScanInputs {
  const made = makeScanInputs(p, seed, withOptional);
  if (p.deltaSoftplus) return made;
  return { ...made, delta: Float32Array.from(made.delta, (v) => Math.log1p(Math.exp(v))) };
}
