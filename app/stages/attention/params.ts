// The attention stage's parameter specs (plain JSON values, so they live in the URL): the reader's sentence,
// the head dim d, the query heads h and K/V heads h_k (powers of two, so h_k divides h whenever h_k ≤ h),
// the causal mask and the seed of the embedding and the projections. Labels: app/locales/<lang>/attention.json.
// d stops at 32 (the engine takes 64) so the CPU reference of the GPU check stays small on the page.

import { MAX_TEXT } from '../../../engine';
import { choiceSpec, type ParamSpec } from '../types';

export const HEAD_OPTIONS = ['1', '2', '4', '8'] as const;

export const attentionStageParams: readonly ParamSpec[] = [
  {
    kind: 'text',
    key: 'text',
    maxLength: MAX_TEXT,
    default: "The animal didn't cross the street because it was too tired.",
  },
  { kind: 'number', key: 'd', min: 2, max: 32, step: 1, default: 8 },
  choiceSpec('h', HEAD_OPTIONS, '4'),
  choiceSpec('hk', HEAD_OPTIONS, '2'),
  choiceSpec('causal', ['on', 'off'], 'on'),
  { kind: 'number', key: 'seed', min: 0, max: 999, step: 1, default: 1 },
];
