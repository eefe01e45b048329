// The fitting of sizes to a device (fitSizes in app/stages/types.ts) against a plain scan over every value,
// the order in which sizes give way, choices as sizes, the case where nothing fits; every stage's own fit at
// its largest sizes; and the session's clamp: the store takes the fitted sizes (the URL and controls follow
// it) and a notice says what happened. (That each stage's bytes are what the engine really allocates is
// engine/stages/largestBinding.test.ts, on Dawn.)

import { describe, expect, it } from 'vitest';
import { type Gpu, makeStepper } from '../../engine';
import { createAppStore } from '../store/createAppStore';
import { fakeStage } from '../testing/fakeStage';
import { builtStages } from '../stages/registry';
import {
  type BuiltStage,
  choiceSpec,
  defaultParams,
  fitSizes,
  type ParamSpec,
  type ParamValues,
} from '../stages/types';
import { startSession } from './session';

const specs: ParamSpec[] = [
  { kind: 'number', key: 'L', min: 8, max: 1024, step: 1, default: 64 },
  { kind: 'number', key: 'N', min: 2, max: 64, step: 2, default: 8 },
  choiceSpec('h', ['1', '2', '4', '8']),
];
/** Bytes of a buffer (L, N, h) of f32 plus a fixed 4 KiB one: grows with every size. */
const needs = (p: ParamValues) => Math.max(Number(p.L) * Number(p.N) * Number(p.h) * 4, 4096);
const limits = (bytes: number) => ({ maxStorageBufferBindingSize: bytes, maxBufferSize: 2 ** 30 });

describe('fitSizes', () => {
  it('keeps params that fit as they are, the same object', () => {
    const p = { L: 64, N: 8, h: '1' };
    const fit = fitSizes(specs, p, ['L', 'N'], needs, limits(65536));
    expect(fit).toEqual({ params: p, clamped: [], needed: 2048 * 2, allowed: 65536, fits: true });
    expect(fit.params).toBe(p);
  });

  it('gives the largest L that fits, the same as scanning every L, for many limits', () => {
    const p = { L: 1000, N: 6, h: '2' };
    for (const bytes of [4096, 5000, 12345, 40000, 47999, 48000, 48001]) {
      const fit = fitSizes(specs, p, ['L', 'N'], needs, limits(bytes));
      let best = 8;
      for (let L = 8; L <= 1000; L++) if (needs({ ...p, L }) <= bytes) best = L;
      expect(fit.params.L).toBe(best);
      expect(fit.params.N).toBe(6);
      expect(fit.fits).toBe(true);
    }
  });

  it('takes the next size only when the first is at its minimum and still too big', () => {
    const fit = fitSizes(specs, { L: 512, N: 64, h: '8' }, ['L', 'N'], needs, limits(8 * 20 * 8 * 4));
    expect(fit.clamped).toEqual([
      { key: 'L', asked: 512, shown: 8 },
      { key: 'N', asked: 64, shown: 20 },
    ]);
    expect(fit.needed).toBe(512 * 64 * 8 * 4);
    expect(fit.fits).toBe(true);
  });

  it('a choice clamps to the largest option that fits; N keeps to its step of 2', () => {
    const h = fitSizes(specs, { L: 512, N: 4, h: '8' }, ['h'], needs, limits(512 * 4 * 2 * 4));
    expect(h.clamped).toEqual([{ key: 'h', asked: '8', shown: '2' }]);
    const n = fitSizes(specs, { L: 100, N: 64, h: '1' }, ['N'], needs, limits(100 * 11 * 4));
    expect(n.params.N).toBe(10);
  });

  it('says when even the smallest sizes do not fit', () => {
    const fit = fitSizes(specs, { L: 64, N: 8, h: '1' }, ['L', 'N'], needs, limits(1000));
    expect(fit.fits).toBe(false);
    expect(fit.params).toEqual({ L: 8, N: 2, h: '1' });
  });
});

describe("each stage's fit", () => {
  for (const stage of builtStages.filter((s) => s.runtime.fit))
    it(`${stage.id}: at its largest sizes and 3/4 of the binding they need, the largest sizes that fit`, () => {
      const fitOf = stage.runtime.fit;
      if (!fitOf) throw new Error(`${stage.id} has no fit`);
      const top: Record<string, string | number> = { ...defaultParams(stage.params) };
      for (const s of stage.params)
        if (s.kind === 'number' && !['seed', 'pos', 'eps', 'bf', 'dt'].includes(s.key)) top[s.key] = s.max;
        else if (s.kind === 'choice' && /^\d+$/.test(s.options[0]))
          top[s.key] = s.options[s.options.length - 1];
      const needed = fitOf(top, limits(2 ** 40)).needed;
      const r = fitOf(top, limits(Math.floor((needed * 3) / 4)));
      expect(r.clamped.length).toBeGreaterThan(0);
      expect(r.fits).toBe(true);
      expect(fitOf(r.params, limits(2 ** 40)).needed).toBeLessThanOrEqual(r.allowed);
      // One step more of the last size it clamped no longer fits.
      const last = r.clamped[r.clamped.length - 1];
      const spec = stage.params.find((s) => s.key === last.key);
      const up =
        spec?.kind === 'number'
          ? Number(last.shown) + spec.step
          : spec?.kind === 'choice'
            ? spec.options[spec.options.indexOf(String(last.shown)) + 1]
            : undefined;
      expect(
        fitOf({ ...r.params, [last.key]: up as ParamValues[string] }, limits(2 ** 40)).needed,
      ).toBeGreaterThan(r.allowed);
    });
});

/** A session on a fake GPU stage whose binding needs L · 64 bytes, on a device that allows 100 · 64. */
function clampingSession(params: ParamValues, k = 0) {
  const ran: ParamValues[] = [];
  const stage: BuiltStage = {
    ...fakeStage,
    runtime: {
      steps: (p) => Number(p.L),
      run: async (_gpu, p) => {
        ran.push(p);
        const r = { backend: 'webgpu' as const, dispatches: [], gpuMs: null, timeline: null };
        return { backend: 'webgpu' as const, ran: r };
      },
      createStepper: async (_gpu, p) =>
        makeStepper('fake.step', { backend: 'webgpu', count: Number(p.L), advance: (j) => ({ k: j }) }),
      fit: (p, lim) => fitSizes(fakeStage.params, p, ['L'], (q) => Number(q.L) * 64, lim),
    },
  };
  const gpu = { status: 'ok', limits: limits(100 * 64) } as unknown as Gpu;
  const store = createAppStore(
    { steps: (_, p) => Number(p.L) },
    { stageId: 'ssm', params: { ...params }, k },
  );
  store.getState().setGpuInfo({ state: 'webgpu', adapterName: 'x', reason: null, forcedCpu: false }, true);
  const stop = startSession(store, { findStage: () => stage, gpu: () => gpu, cpu: (st) => st.runtime });
  return { store, stop, ran };
}

describe('the session clamps before a run on the GPU', () => {
  it('runs the fitted sizes, puts them in the store and says so in a notice', async () => {
    const { store, stop, ran } = clampingSession({ signal: 'step', L: 256, dt: 0.1 }, 200);
    await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(ran.map((p) => p.L)).toEqual([100]);
    const s = store.getState();
    expect(s.params.L).toBe(100);
    expect(s.n).toBe(100);
    expect(s.k).toBe(100);
    expect(s.notices).toEqual([
      {
        key: 'notice.limit',
        values: { param: 'L', asked: '256', shown: '100', need: '16 KiB', allowed: '6.3 KiB' },
      },
    ]);
  });

  it('a second clamp of the same size replaces its notice and keeps the others', async () => {
    const { store, stop } = clampingSession({ signal: 'step', L: 256, dt: 0.1 });
    store.getState().addNotices([{ key: 'notice.theme', values: { raw: '"x"' } }]);
    await new Promise((r) => setTimeout(r, 20));
    store.getState().setParam('L', 200);
    await new Promise((r) => setTimeout(r, 20));
    stop();
    const notices = store.getState().notices;
    expect(notices.map((n) => [n.key, n.values?.asked])).toEqual([
      ['notice.theme', undefined],
      ['notice.limit', '200'],
    ]);
  });
});
