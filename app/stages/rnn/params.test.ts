// The rnn stage's parameter specs against the engine: every value a control or a link can produce must be
// one the engine accepts, or a reader would meet an engine error instead of a clear URL message.

import { describe, expect, it } from 'vitest';
import { MAX_TEXT, rnnStage } from '../../../engine';
import { expectInsideLimits, reachableParams } from '../specLimits';
import { defaultParams } from '../types';
import { DEFAULT_SENTENCE, rnnStageParams } from './params';
import { toRnnParams } from './runtime';

const { RNN_STAGE_LIMITS, validateRnnStageParams, stageTokens } = rnnStage;

describe('rnn parameter specs', () => {
  it('numeric ranges lie inside the engine limits for H, d, ε, b_f and the seed, s inside the token limit', () => {
    // The perturbed position s counts tokens from 1, up to the token limit T.
    expectInsideLimits(rnnStageParams, { ...RNN_STAGE_LIMITS, pos: [1, RNN_STAGE_LIMITS.T[1]] });
  });

  it('the defaults, the extremes and short, long, empty and Chinese sentences pass the engine validation', () => {
    const base = defaultParams(rnnStageParams);
    const variants = reachableParams(rnnStageParams);
    for (const text of ['hi', '', '  .  ', 'a '.repeat(MAX_TEXT / 2), '我们今天去公园散步'])
      variants.push({ ...base, text, pos: 64 });
    for (const v of variants) {
      const p = toRnnParams(v);
      expect(() => validateRnnStageParams(p)).not.toThrow();
      expect(() => rnnStage.program.makeInputs(p, Number(v.seed))).not.toThrow();
    }
  });

  it('keeps the perturbed position inside the sentence and counts it from 1 on screen', () => {
    const base = defaultParams(rnnStageParams);
    expect(toRnnParams({ ...base, pos: 2 }).t0).toBe(1);
    expect(toRnnParams({ ...base, text: 'two words', pos: 9 }).t0).toBe(1);
    expect(toRnnParams({ ...base, text: '' }).text).toBe(DEFAULT_SENTENCE);
    expect(stageTokens({ text: DEFAULT_SENTENCE })[1]).toBe('keys');
  });
});
