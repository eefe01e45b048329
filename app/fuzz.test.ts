// Fuzzing the two ways in from outside (issue 10): 1,000 random query strings and 1,000 random messages
// (valid types with malformed payloads, unknown types, huge payloads, __proto__ keys). Nothing throws,
// every accepted value fits its spec, and every notice or reason stays short.

import { describe, expect, it } from 'vitest';
import { Rng } from '../engine';
import { parseMessage, resolveState } from './embed';
import type { BuiltStage, ParamSpec } from './stages/types';
import { fakeStage, otherStage } from './testing/fakeStage';
import { parseSearch } from './url';

const stages: BuiltStage[] = [
  fakeStage,
  otherStage,
  {
    ...fakeStage,
    id: 'text',
    params: [{ kind: 'text', key: 'text', maxLength: 40, default: 'the cat' }],
    runtime: { ...fakeStage.runtime, steps: () => 5 },
  },
];
const rng = new Rng(2026);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];

const NASTY = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  '0x10',
  '1.5',
  '999999999999',
  '__proto__',
  'constructor',
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  '%00',
  '\u0000',
  '\u202e',
  '状态',
  'a'.repeat(5000),
  'https://evil.example',
  '*',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
];

function randomValue(): string {
  const r = rng.next();
  if (r < 0.5) return pick(NASTY);
  if (r < 0.8) return String(Math.round((rng.next() - 0.3) * 10 ** Math.floor(rng.next() * 6)));
  return Array.from({ length: 1 + Math.floor(rng.next() * 12) }, () =>
    String.fromCharCode(32 + Math.floor(rng.next() * 0x2fff)),
  ).join('');
}

function fits(spec: ParamSpec, v: unknown): boolean {
  if (spec.kind === 'number') return typeof v === 'number' && v >= spec.min && v <= spec.max;
  if (spec.kind === 'choice') return typeof v === 'string' && spec.options.includes(v);
  return typeof v === 'string' && v.length <= spec.maxLength;
}

describe('fuzzing the URL and the message API', () => {
  it('1,000 random query strings parse without throwing into a view that fits the specs', () => {
    const keys = [
      'stage',
      'L',
      'dt',
      'signal',
      'text',
      'k',
      'backend',
      'lang',
      'theme',
      'embed',
      'stages',
      'parentOrigin',
      'statements',
      '__proto__',
      'x',
    ];
    for (let i = 0; i < 1000; i++) {
      const q = new URLSearchParams();
      for (let j = 0, n = 1 + Math.floor(rng.next() * 8); j < n; j++) q.append(pick(keys), randomValue());
      if (rng.next() < 0.3) q.set('stage', pick(['ssm', 'other', 'text', 'mamba']));
      const r = parseSearch(`?${q}`, stages, [{ id: 'mamba' }]);
      const stage = stages.find((s) => s.id === r.stageId);
      expect(stage).toBeDefined();
      for (const spec of stage?.params ?? []) expect(fits(spec, r.params[spec.key])).toBe(true);
      expect(Object.keys(r.params).sort()).toEqual((stage?.params ?? []).map((s) => s.key).sort());
      expect(r.k).toBeGreaterThanOrEqual(0);
      expect(r.k).toBeLessThanOrEqual(stage?.runtime.steps(r.params) ?? 0);
      expect(Object.getPrototypeOf(r.params)).toBe(Object.prototype);
      for (const m of r.messages)
        for (const v of Object.values(m.values ?? {})) expect(String(v).length).toBeLessThan(200);
    }
  });

  it('1,000 random messages are accepted whole or refused whole, never throwing, never polluting', () => {
    const types = [
      'seqscope:getState',
      'seqscope:setState',
      'seqscope:play',
      'seqscope:pause',
      'seqscope:step',
      'seqscope:reinit',
      'seqscope:set',
      'x',
      '',
    ];
    const current = { stageId: 'ssm', params: { signal: 'step', L: 64, dt: 0.1 } };
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const r = rng.next();
      let data: unknown;
      if (r < 0.1) data = pick([null, undefined, 1, 'seqscope:play', [], [1, 2], true]);
      else if (r < 0.2)
        data = JSON.parse(
          `{"type":"seqscope:setState","state":{"${pick(['__proto__', 'constructor', 'params'])}":{"__proto__":{"polluted":1}}}}`,
        );
      else {
        const state: Record<string, unknown> = {};
        for (const key of ['stage', 'params', 'k', 'lang', 'theme', 'zz'])
          if (rng.next() < 0.4)
            state[key] =
              key === 'params'
                ? Object.fromEntries([
                    ['L', pick([8, 64, 300, '32', Number.NaN])],
                    [pick(['dt', 'signal', 'Q']), pick([0.5, 'sine', randomValue()])],
                  ])
                : key === 'k'
                  ? pick([0, 3, -1, 1.5, 1e9, '2'])
                  : randomValue();
        data = {
          type: pick(types),
          ...(rng.next() < 0.7 ? { state } : {}),
          ...(rng.next() < 0.2 ? { by: pick([1, -1, 0.5, 'x']) } : {}),
        };
      }
      const p = parseMessage(data);
      if (!p.ok) {
        expect(p.reason.length).toBeLessThan(300);
        continue;
      }
      if (p.message.type === 'seqscope:setState') {
        const s = resolveState(p.message.state, stages, current);
        if (s.ok) {
          const stage = stages.find((x) => x.id === s.stageId);
          for (const spec of stage?.params ?? []) expect(fits(spec, s.params[spec.key])).toBe(true);
        }
      }
      accepted++;
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(accepted).toBeGreaterThan(50);
  });
});
