// Stress cases in the golden JSON format (odd sizes, long L, ragged chunks, softplus > 20, masked rows,
// complex A, groups, absent optional inputs), with expected outputs from plain float64 definitions written
// in hidden/ from ../shared/golden/README.md (recurrences, matrix powers, Taylor expm): no engine code is used.

import { attentionCases } from './hidden/attention';
import type { HiddenCase } from './hidden/common';
import { linearAttentionCases } from './hidden/linearAttention';
import {
  causalConvCases,
  convUpdateMultiToken,
  scanSpecs,
  selectiveScanCase,
  stateUpdateCases,
  stateUpdateFullShapes,
} from './hidden/mamba';
import { readmeOnlyCases } from './hidden/readmeOnly';
import { rnnCases } from './hidden/rnn';
import { variantCases } from './hidden/variants';
import { discretizeCases, hippoCases, s4Cases, s4dCases } from './hidden/s4';
import { ssdCases, segsumCases } from './hidden/ssd';

export type { HiddenCase, RawArray } from './hidden/common';

/** Every hidden case, grouped by generator; `only` (a function-name regex) limits what is built. */
export function hiddenCases(only?: RegExp): HiddenCase[] {
  const groups: Array<() => HiddenCase[]> = [
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
    readmeOnlyCases,
    variantCases,
  ];
  const all: HiddenCase[] = [];
  for (const make of groups) {
    for (const c of make()) if (!only || only.test(c.ref_function.slice(4)) || only.test(c.name)) all.push(c);
  }
  return all;
}
