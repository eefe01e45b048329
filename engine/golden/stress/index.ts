// Stress cases in the golden JSON format (odd sizes, long L, ragged chunks, softplus > 20, masked rows,
// complex A, groups, absent optional inputs), with expected outputs from plain float64 definitions written
// in stress/ from ../shared/golden/README.md (recurrences, matrix powers, Taylor expm): no engine code is used
// but the seeded RNG (independence.test.ts holds this).

import { attentionCases } from './attention';
import type { StressCase } from './common';
import { linearAttentionCases } from './linearAttention';
import { causalConvCases, convUpdateMultiToken } from './causalConv';
import { discretizeCases, hippoCases } from './discretize';
import { scanSpecs, selectiveScanCase } from './selectiveScan';
import { stateUpdateCases, stateUpdateFullShapes } from './stateUpdate';
import { withoutVectorsCases } from './withoutVectors';
import { rnnCases } from './rnn';
import { aliasCases } from './aliases';
import { s4Cases, s4dCases } from './s4';
import { ssdCases, segsumCases } from './ssd';

export type { StressCase, RawArray } from './common';

/** Every stress case, grouped by generator; `only` (a function-name regex) limits what is built. */
export function stressCases(only?: RegExp): StressCase[] {
  const groups: Array<() => StressCase[]> = [
    hippoCases,
    () => discretizeCases('zoh'),
    () => discretizeCases('bilinear'),
    s4Cases,
    s4dCases,
    () => scanSpecs.map(selectiveScanCase),
    stateUpdateCases,
    () => [stateUpdateFullShapes(), convUpdateMultiToken()],
    causalConvCases,
    segsumCases,
    ssdCases,
    attentionCases,
    linearAttentionCases,
    rnnCases,
    withoutVectorsCases,
    aliasCases,
  ];
  const all: StressCase[] = [];
  for (const make of groups) {
    for (const c of make()) if (!only || only.test(c.ref_function.slice(4)) || only.test(c.name)) all.push(c);
  }
  return all;
}
