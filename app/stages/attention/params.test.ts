// The attention stage's parameter specs against the engine: every value a control or a link can produce
// must be one the engine accepts (h_k above h is clamped to h, and said so), or a reader would meet an
// engine error instead of a clear message.

import { describe, expect, it } from 'vitest';
import { attentionStage } from '../../../engine';
import { defaultParams } from '../types';
import { attentionStageParams } from './params';
import { attentionRuntime, toAttentionParams } from './runtime';

const { ATTENTION_STAGE_LIMITS, validateAttentionStageParams } = attentionStage;

describe('attention parameter specs', () => {
  it('the head dim slider lies inside the engine limit and the heads are the engine’s choices', () => {
    const d = attentionStageParams.find((s) => s.key === 'd');
    expect(d?.kind).toBe('number');
    if (d?.kind !== 'number') return;
    expect(d.min).toBeGreaterThanOrEqual(ATTENTION_STAGE_LIMITS.d[0]);
    expect(d.max).toBeLessThanOrEqual(ATTENTION_STAGE_LIMITS.d[1]);
    for (const key of ['h', 'hk']) {
      const s = attentionStageParams.find((x) => x.key === key);
      if (s?.kind !== 'choice') throw new Error(`${key} is not a choice`);
      for (const o of s.options) expect(Number(o)).toBeLessThanOrEqual(ATTENTION_STAGE_LIMITS.h[1]);
    }
  });

  it('the defaults, the extremes and every pair of h and h_k pass the engine validation', () => {
    const base = defaultParams(attentionStageParams);
    const variants = [base, { ...base, d: 2 }, { ...base, d: 32 }, { ...base, causal: 'off' }];
    for (const h of ['1', '2', '4', '8'])
      for (const hk of ['1', '2', '4', '8']) variants.push({ ...base, h, hk });
    for (const v of variants)
      expect(() => validateAttentionStageParams(toAttentionParams(v).params)).not.toThrow();
    expect(toAttentionParams({ ...base, h: '2', hk: '8' })).toMatchObject({
      params: { h: 2, hk: 2 },
      hkAsked: 8,
    });
    expect(toAttentionParams(base).hkAsked).toBeNull();
  });

  it('the default sentence gives 12 playback steps, one per token', () => {
    expect(attentionRuntime.steps(defaultParams(attentionStageParams))).toBe(12);
  });
});
