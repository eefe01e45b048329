// Tests of URL parsing and building: exact round trips, and per-value fallbacks with messages.

import { describe, expect, it } from 'vitest';
import { fakeStage, otherStage } from './testing/fakeStage';
import { buildSearch, parseNumber, parseSearch } from './url';

const embedding = { embed: false, stages: null, parentOrigin: null, statements: false };

const stages = [fakeStage, otherStage];

describe('URL state', () => {
  for (const [what, query, want] of [
    [
      'an empty query gives the first stage with default params, k=0 and no messages',
      '',
      {
        stageId: 'ssm',
        params: { signal: 'step', L: 64, dt: 0.1 },
        k: 0,
        forceCpu: false,
        lang: null,
        theme: null,
        embedding,
      },
    ],
    [
      'a full query restores stage, params, k and the forced CPU backend',
      '?stage=ssm&signal=sine&L=100&dt=0.25&k=37&backend=cpu&lang=zh-CN&theme=dark',
      {
        stageId: 'ssm',
        params: { signal: 'sine', L: 100, dt: 0.25 },
        k: 37,
        forceCpu: true,
        lang: 'zh-CN',
        theme: 'dark',
        embedding,
      },
    ],
  ] as const)
    it(what, () => {
      expect(parseSearch(query, stages)).toEqual({ ...want, messages: [] });
    });

  it('buildSearch and parseSearch round-trip exactly', () => {
    const state = {
      stageId: 'ssm',
      params: { signal: 'sine', L: 33, dt: 0.07 },
      k: 5,
      forceCpu: true,
      lang: 'en' as const,
      theme: 'projector' as const,
      embedding: {
        embed: true,
        stages: ['ssm', 'other'],
        parentOrigin: 'https://course.example.org',
        statements: true,
      },
    };
    const back = parseSearch(buildSearch(state, fakeStage), stages);
    expect({ ...back, messages: undefined }).toEqual({ ...state, messages: undefined });
  });

  it('an unknown stage falls back to the first stage and says so', () => {
    const r = parseSearch('?stage=nope&L=20', stages);
    expect(r.stageId).toBe('ssm');
    expect(r.params.L).toBe(20);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toEqual({ key: 'notice.unknownStage', values: { raw: '"nope"', fallback: 'ssm' } });
  });

  it('a stage that is coming but not built says so and falls back', () => {
    const r = parseSearch('?stage=mamba', stages, [{ id: 'mamba' }]);
    expect(r.stageId).toBe('ssm');
    expect(r.messages[0]).toEqual({ key: 'notice.coming', values: { stage: 'mamba', fallback: 'ssm' } });
  });

  it('each malformed value falls back to its own default and leaves the others alone', () => {
    const r = parseSearch('?L=9999&dt=abc&signal=square&k=3', stages);
    expect(r.params).toEqual({ signal: 'step', L: 64, dt: 0.1 });
    expect(r.k).toBe(3);
    expect(r.messages).toHaveLength(3);
    expect(r.messages.find((m) => m.values?.param === 'L')).toEqual({
      key: 'notice.param',
      values: { param: 'L', raw: '"9999"', reason: 'param.range', min: 8, max: 256 },
    });
  });

  it('non-integer sizes and out-of-range steps are rejected', () => {
    const r = parseSearch('?L=12.5&k=13', stages);
    expect(r.params.L).toBe(64);
    expect(r.k).toBe(13);
    const r2 = parseSearch('?L=12&k=13', stages);
    expect(r2.k).toBe(0);
    expect(r2.messages[0]).toMatchObject({ key: 'notice.step', values: { n: 12 } });
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

  it('a notice quotes at most 80 characters of a bad value, however long it is', () => {
    const r = parseSearch(`?L=${'9'.repeat(2_000_000)}`, stages);
    const raw = String(r.messages[0].values?.raw);
    expect(raw.length).toBeLessThanOrEqual(84);
    expect(raw.endsWith('…"')).toBe(true);
  });

  it('an unknown language or theme is reported and the browser default kept', () => {
    const r = parseSearch('?lang=fr&theme=neon', stages);
    expect(r.lang).toBeNull();
    expect(r.theme).toBeNull();
    expect(r.messages.map((m) => m.key)).toEqual(['notice.lang', 'notice.theme']);
  });

  it('embedding options: embed, a stage subset, parentOrigin and statements, each checked', () => {
    const r = parseSearch(
      '?stage=other&embed=1&stages=other,ssm&parentOrigin=https://a.example&statements=1',
      stages,
    );
    expect(r.embedding).toEqual({
      embed: true,
      stages: ['other', 'ssm'],
      parentOrigin: 'https://a.example',
      statements: true,
    });
    expect(r.messages).toEqual([]);
    const bad = parseSearch('?embed=yes&stages=nope&parentOrigin=*', stages);
    expect(bad.embedding).toEqual(embedding);
    expect(bad.messages.map((m) => m.key)).toEqual(['notice.flag', 'notice.stages', 'notice.origin']);
  });

  it('a stage outside stages= opens the first stage of the list, with a notice', () => {
    const r = parseSearch('?stage=ssm&stages=other&L=20', stages);
    expect(r.stageId).toBe('other');
    expect(r.params.L).toBe(20);
    expect(r.messages.map((m) => m.key)).toContain('notice.notInStages');
  });
});
