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
import { lstmCases } from './lstm';
import { rwkv6Cases } from './rwkv6';
import { attentionBackwardCases } from './attentionBackward';
import { mambaBlockCases } from './mambaBlock';
import { mamba2BlockCases } from './mamba2Block';
import { rmsNormGatedCases } from './rmsNormGated';
import { hippoOnlineCases } from './hippoOnline';

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
  return pick(groups, only);
}

/**
 * The stress cases of the eight functions of ../shared/golden/vectors2 (issue 7), apart from stressCases
 * until the engine's golden adapters implement them (index.test.ts runs every small stress case through
 * the adapters); vectors2.test.ts checks them against the engine's float64 references.
 */
export function vectors2StressCases(only?: RegExp): StressCase[] {
  return pick(
    [
      lstmCases,
      rwkv6Cases,
      attentionBackwardCases,
      mambaBlockCases,
      mamba2BlockCases,
      rmsNormGatedCases,
      hippoOnlineCases,
    ],
    only,
  );
}

function pick(groups: Array<() => StressCase[]>, only?: RegExp): StressCase[] {
  const all: StressCase[] = [];
  for (const make of groups) {
    for (const c of make()) if (!only || only.test(c.ref_function.slice(4)) || only.test(c.name)) all.push(c);
  }
  return all;
}
