// The rnn stage's parameter specs (plain JSON values, so they live in the URL): the reader's sentence, the
// sizes H and d, the seed, the perturbation's size ε and position s (1-based, as the screen counts), and the
// LSTM's forget bias b_f. Labels: app/locales/<lang>/rnn.json.

import { MAX_TEXT } from '../../../engine';
import type { ParamSpec } from '../types';

/** "keys … are": a long-range agreement, so perturbing "keys" asks whether the state still knows at "are". */
export const DEFAULT_SENTENCE = 'The keys to the old wooden cabinet are on the table.';

export const rnnStageParams: readonly ParamSpec[] = [
  { kind: 'text', key: 'text', maxLength: MAX_TEXT, default: DEFAULT_SENTENCE },
  { kind: 'number', key: 'H', min: 2, max: 32, step: 1, default: 16 },
  { kind: 'number', key: 'd', min: 2, max: 32, step: 1, default: 8 },
  { kind: 'number', key: 'seed', min: 0, max: 999, step: 1, default: 1 },
  { kind: 'number', key: 'eps', min: 0.05, max: 4, step: 0.05, default: 1 },
  { kind: 'number', key: 'pos', min: 1, max: 64, step: 1, default: 2 },
  { kind: 'number', key: 'bf', min: -2, max: 4, step: 0.5, default: 1 },
];
