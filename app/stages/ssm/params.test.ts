// The ssm stage's parameter specs against the engine: every value a slider or a link can produce must be
// one the engine accepts, or a reader would meet an engine error instead of a clear URL message.

import { describe, expect, it } from 'vitest';
import { ssmStage } from '../../../engine';
import { expectInsideLimits, reachableParams } from '../specLimits';
import { ssmStageParams } from './params';
import { toSsmParams } from './runtime';

const { SSM_STAGE_LIMITS, validateSsmStageParams } = ssmStage;

describe('ssm parameter specs', () => {
  it('numeric ranges lie inside the engine limits for N, L and Δ', () => {
    expectInsideLimits(ssmStageParams, SSM_STAGE_LIMITS);
  });

  it('the defaults, the extremes and every choice pass the engine validation', () => {
    const variants = reachableParams(ssmStageParams);
    for (const v of variants) expect(() => validateSsmStageParams(toSsmParams(v))).not.toThrow();
  });
});
