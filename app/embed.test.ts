// Tests of the embedding protocol's validation: good messages merge, every malformed one is refused whole.

import { describe, expect, it } from 'vitest';
import { validateSetMessage } from './embed';
import { fakeStage, otherStage } from './testing/fakeStage';

const stages = [fakeStage, otherStage];
const current = { stageId: 'ssm', params: { signal: 'step', L: 64, dt: 0.1 } };

describe('embedding messages', () => {
  it('a valid set message merges its params into the current ones', () => {
    const r = validateSetMessage({ type: 'seqscope:set', stage: 'ssm', params: { L: 32 } }, stages, current);
    expect(r).toEqual({ ok: true, stageId: 'ssm', params: { signal: 'step', L: 32, dt: 0.1 }, k: null });
  });

  it('switching stage starts from that stage’s defaults', () => {
    const r = validateSetMessage({ type: 'seqscope:set', stage: 'other' }, stages, current);
    expect(r).toEqual({ ok: true, stageId: 'other', params: { L: 64 }, k: null });
  });

  it('a step k within range is accepted', () => {
    const r = validateSetMessage({ type: 'seqscope:set', params: { L: 10 }, k: 10 }, stages, current);
    expect(r.ok && r.k).toBe(10);
  });

  const bad: [string, unknown][] = [
    ['a string', 'seqscope:set'],
    ['null', null],
    ['an array', [1, 2]],
    ['the wrong type', { type: 'seqscope:get' }],
    ['an unknown field', { type: 'seqscope:set', extra: 1 }],
    ['an unknown stage', { type: 'seqscope:set', stage: 'mamba' }],
    ['a non-string stage', { type: 'seqscope:set', stage: 5 }],
    ['params as an array', { type: 'seqscope:set', params: [1] }],
    ['an unknown param', { type: 'seqscope:set', params: { Q: 1 } }],
    ['a numeric string value', { type: 'seqscope:set', params: { L: '32' } }],
    ['an out-of-range value', { type: 'seqscope:set', params: { L: 4 } }],
    ['NaN', { type: 'seqscope:set', params: { dt: Number.NaN } }],
    ['an unknown choice', { type: 'seqscope:set', params: { signal: 'square' } }],
    ['k past the end', { type: 'seqscope:set', k: 65 }],
    ['a fractional k', { type: 'seqscope:set', k: 1.5 }],
  ];
  for (const [what, data] of bad)
    it(`a message with ${what} is rejected with a reason`, () => {
      const r = validateSetMessage(data, stages, current);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
    });
});
