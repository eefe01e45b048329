// The embedding message API: the schema accepts exactly the documented messages, setState resolves
// against the stages' specs, every malformed message is refused whole with a short reason.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { EmbedMessage, parseMessage, resolveState } from './embed';
import { fakeStage, otherStage } from './testing/fakeStage';
import { parseOrigin } from './url';

const stages = [fakeStage, otherStage];
const current = { stageId: 'ssm', params: { signal: 'step', L: 64, dt: 0.1 } };

function set(state: Record<string, unknown>) {
  const p = parseMessage({ type: 'seqscope:setState', state });
  if (!p.ok) return p;
  if (p.message.type !== 'seqscope:setState') throw new Error('not setState');
  return resolveState(p.message.state, stages, current);
}

describe('embedding messages', () => {
  it('every documented message type is accepted', () => {
    for (const m of [
      { type: 'seqscope:getState' },
      {
        type: 'seqscope:setState',
        state: { stage: 'ssm', params: { L: 32 }, k: 3, lang: 'zh-CN', theme: 'dark' },
      },
      { type: 'seqscope:play' },
      { type: 'seqscope:pause' },
      { type: 'seqscope:step' },
      { type: 'seqscope:step', by: -1 },
      { type: 'seqscope:reinit' },
    ])
      expect(parseMessage(m)).toMatchObject({ ok: true });
  });

  it('a valid setState merges its params into the current ones', () => {
    expect(set({ stage: 'ssm', params: { L: 32 } })).toEqual({
      ok: true,
      stageId: 'ssm',
      params: { signal: 'step', L: 32, dt: 0.1 },
      k: null,
    });
  });

  it('switching stage starts from that stage’s defaults; a step within range is kept', () => {
    expect(set({ stage: 'other' })).toEqual({ ok: true, stageId: 'other', params: { L: 64 }, k: null });
    expect(set({ params: { L: 10 }, k: 10 })).toMatchObject({ ok: true, k: 10 });
  });

  const bad: [string, unknown][] = [
    ['a string', 'seqscope:setState'],
    ['null', null],
    ['an array', [1, 2]],
    ['an unknown type', { type: 'seqscope:get' }],
    ['the old set type', { type: 'seqscope:set', params: { L: 32 } }],
    ['an unknown field', { type: 'seqscope:play', extra: 1 }],
    ['no state', { type: 'seqscope:setState' }],
    ['an unknown state field', { type: 'seqscope:setState', state: { x: 1 } }],
    ['a __proto__ key', JSON.parse('{"type":"seqscope:setState","state":{"__proto__":{"k":1}}}')],
    ['a __proto__ param', JSON.parse('{"type":"seqscope:setState","state":{"params":{"__proto__":1}}}')],
    ['an unknown stage', { type: 'seqscope:setState', state: { stage: 'mamba' } }],
    ['a non-string stage', { type: 'seqscope:setState', state: { stage: 5 } }],
    ['params as an array', { type: 'seqscope:setState', state: { params: [1] } }],
    ['an unknown param', { type: 'seqscope:setState', state: { params: { Q: 1 } } }],
    ['a numeric string value', { type: 'seqscope:setState', state: { params: { L: '32' } } }],
    ['an out-of-range value', { type: 'seqscope:setState', state: { params: { L: 4 } } }],
    ['NaN', { type: 'seqscope:setState', state: { params: { dt: Number.NaN } } }],
    ['an unknown choice', { type: 'seqscope:setState', state: { params: { signal: 'square' } } }],
    ['k past the end', { type: 'seqscope:setState', state: { k: 65 } }],
    ['a fractional k', { type: 'seqscope:setState', state: { k: 1.5 } }],
    ['a huge string', { type: 'seqscope:setState', state: { stage: 'x'.repeat(1_000_000) } }],
    ['an unknown language', { type: 'seqscope:setState', state: { lang: 'fr' } }],
    ['a fractional step', { type: 'seqscope:step', by: 0.5 }],
  ];
  for (const [what, data] of bad)
    it(`a message with ${what} is refused with a short reason`, () => {
      const p = parseMessage(data);
      const r =
        p.ok && p.message.type === 'seqscope:setState' ? resolveState(p.message.state, stages, current) : p;
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason.length).toBeGreaterThan(5);
        expect(r.reason.length).toBeLessThan(300);
      }
    });

  it('parentOrigin takes an origin and nothing else', () => {
    expect(parseOrigin('https://course.example.org')).toBe('https://course.example.org');
    expect(parseOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    for (const bad of ['*', 'null', 'course.example.org', 'https://a.org/path', 'javascript:alert(1)', ''])
      expect(parseOrigin(bad)).toBeNull();
  });

  it('the schema in docs/embed-api.schema.json is the one the code validates with', () => {
    const doc = JSON.parse(readFileSync(join(process.cwd(), 'docs', 'embed-api.schema.json'), 'utf8'));
    expect(doc).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(EmbedMessage))));
  });
});
