// What the family's scan tests share (imported by *.test.ts only): the small selective scan they vary.

import type { SelectiveScanParams } from '../../reference/mamba';

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
