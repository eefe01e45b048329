// Tests of URL parsing and building: exact round trips, and per-value fallbacks with messages.

import { describe, expect, it } from 'vitest';
import { fakeStage, otherStage } from './testing/fakeStage';
import { buildSearch, parseNumber, parseSearch } from './url';

const stages = [fakeStage, otherStage];

describe('URL state', () => {
  for (const [what, query, want] of [
    [
      'an empty query gives the first stage with default params, k=0 and no messages',
      '',
      { stageId: 'ssm', params: { signal: 'step', L: 64, dt: 0.1 }, k: 0, forceCpu: false },
    ],
    [
      'a full query restores stage, params, k and the forced CPU backend',
      '?stage=ssm&signal=sine&L=100&dt=0.25&k=37&backend=cpu',
      { stageId: 'ssm', params: { signal: 'sine', L: 100, dt: 0.25 }, k: 37, forceCpu: true },
    ],
  ] as const)
    it(what, () => {
      expect(parseSearch(query, stages)).toEqual({ ...want, messages: [] });
    });

  it('buildSearch and parseSearch round-trip exactly', () => {
    const state = { stageId: 'ssm', params: { signal: 'sine', L: 33, dt: 0.07 }, k: 5, forceCpu: true };
    const back = parseSearch(buildSearch(state, fakeStage), stages);
    expect({ ...back, messages: undefined }).toEqual({ ...state, messages: undefined });
  });

  it('an unknown stage falls back to the first stage and says so', () => {
    const r = parseSearch('?stage=nope&L=20', stages);
    expect(r.stageId).toBe('ssm');
    expect(r.params.L).toBe(20);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toContain('Unknown stage "nope"');
  });

  it('a stage that is coming but not built says so and falls back', () => {
    const r = parseSearch('?stage=mamba', stages, [{ id: 'mamba', title: 'Mamba' }]);
    expect(r.stageId).toBe('ssm');
    expect(r.messages[0]).toContain('"Mamba" is coming');
  });

  it('each malformed value falls back to its own default and leaves the others alone', () => {
    const r = parseSearch('?L=9999&dt=abc&signal=square&k=3', stages);
    expect(r.params).toEqual({ signal: 'step', L: 64, dt: 0.1 });
    expect(r.k).toBe(3);
    expect(r.messages).toHaveLength(3);
    expect(r.messages.join(' ')).toMatch(/L.*between 8 and 256/);
  });

  it('non-integer sizes and out-of-range steps are rejected', () => {
    const r = parseSearch('?L=12.5&k=13', stages);
    expect(r.params.L).toBe(64);
    expect(r.k).toBe(13);
    const r2 = parseSearch('?L=12&k=13', stages);
    expect(r2.k).toBe(0);
    expect(r2.messages[0]).toContain('k=');
  });

  it('the number parser rejects empty, hex, padded and partial numbers', () => {
    for (const bad of ['', ' 3', '0x10', '1e', 'NaN', 'Infinity', '3px']) expect(parseNumber(bad)).toBeNaN();
    expect(parseNumber('-0.5')).toBe(-0.5);
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(parseNumber('.5')).toBe(0.5);
  });

  it('an unknown backend value is reported and the GPU is not forced off', () => {
    const r = parseSearch('?backend=gpu2', stages);
    expect(r.forceCpu).toBe(false);
    expect(r.messages).toHaveLength(1);
  });
});
