// The ssm stage's parameter specs against the engine: every value a slider or a link can produce must be
// one the engine accepts, or a reader would meet an engine error instead of a clear URL message.

import { describe, expect, it } from 'vitest';
import { ssmStage } from '../../../engine';

const { SSM_STAGE_LIMITS, validateSsmStageParams } = ssmStage;
import { defaultParams } from '../types';
import { ssmStageParams } from './params';
import { toSsmParams } from './runtime';

describe('ssm parameter specs', () => {
  it('numeric ranges lie inside the engine limits for N, L and Δ', () => {
    const limits: Record<string, readonly [number, number]> = {
      N: SSM_STAGE_LIMITS.N,
      L: SSM_STAGE_LIMITS.L,
      dt: SSM_STAGE_LIMITS.dt,
    };
    for (const spec of ssmStageParams) {
      if (spec.kind !== 'number') continue;
      const [lo, hi] = limits[spec.key];
      expect(spec.min).toBeGreaterThanOrEqual(lo);
      expect(spec.max).toBeLessThanOrEqual(hi);
      expect(spec.default).toBeGreaterThanOrEqual(spec.min);
      expect(spec.default).toBeLessThanOrEqual(spec.max);
    }
  });

  it('the defaults, the extremes and every choice pass the engine validation', () => {
    const base = defaultParams(ssmStageParams);
    const variants = [base];
    for (const spec of ssmStageParams) {
      if (spec.kind === 'number')
        variants.push({ ...base, [spec.key]: spec.min }, { ...base, [spec.key]: spec.max });
      else if (spec.kind === 'choice')
        for (const o of spec.options) variants.push({ ...base, [spec.key]: o });
    }
    for (const v of variants) expect(() => validateSsmStageParams(toSsmParams(v))).not.toThrow();
  });
});
