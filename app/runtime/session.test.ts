// Tests of the engine session with a fake stage whose runs resolve on demand: cache filling, coalescing of
// changes during a run, and stepping back without re-running the stepper.

import { describe, expect, it } from 'vitest';
import { makeStepper } from '../../engine';
import { createAppStore } from '../store/createAppStore';
import { fakeStage } from '../testing/fakeStage';
import type { BuiltStage, ParamValues } from '../stages/types';
import { startSession } from './session';

/** A fake stage whose runs resolve when the test says so, recording every run and step. */
function controlledStage() {
  const runs: { params: ParamValues; resolve: () => void }[] = [];
  let steps = 0;
  let disposed = 0;
  const stage: BuiltStage = {
    ...fakeStage,
    runtime: {
      steps: (p) => Number(p.L),
      run: (_gpu, params) =>
        new Promise((resolve) => {
          const result = {
            backend: 'cpu' as const,
            ran: { backend: 'cpu' as const, dispatches: [], gpuMs: null, timeline: null },
            L: params.L,
          };
          runs.push({ params, resolve: () => resolve(result) });
        }),
      createStepper: async (_gpu, params) =>
        makeStepper('fake.step', {
          backend: 'cpu',
          count: Number(params.L),
          advance: (k) => {
            steps++;
            return { k: k + 1 };
          },
          free: () => {
            disposed++;
          },
        }),
    },
  };
  return { stage, runs, stepCount: () => steps, disposed: () => disposed };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(k = 0) {
  const c = controlledStage();
  const store = createAppStore(
    { steps: (_, p) => Number(p.L) },
    { stageId: 'ssm', params: { signal: 'step', L: 10, dt: 0.1 }, k },
  );
  store.getState().setGpuInfo({ state: 'cpu', adapterName: null, reason: 'test', forcedCpu: true }, true);
  const stop = startSession(store, { findStage: () => c.stage, gpu: () => null, cpu: (st) => st.runtime });
  return { ...c, store, stop };
}

describe('engine session', () => {
  it('after a run the stepper fills the step cache up to the k from the URL', async () => {
    const t = setup(4);
    await tick();
    expect(t.runs).toHaveLength(1);
    t.runs[0].resolve();
    await tick();
    await tick();
    for (let i = 0; i < 10 && t.store.getState().steps.length < 4; i++) await tick();
    expect(t.store.getState().compute.status).toBe('ready');
    expect(t.store.getState().steps).toHaveLength(4);
    t.stop();
  });

  it('param changes during a run coalesce into one more run with the latest params', async () => {
    const t = setup();
    await tick();
    t.store.getState().setParam('L', 20);
    t.store.getState().setParam('L', 30);
    t.store.getState().setParam('L', 40);
    t.runs[0].resolve();
    for (let i = 0; i < 5; i++) await tick();
    expect(t.runs).toHaveLength(2);
    expect(t.runs[1].params.L).toBe(40);
    t.runs[1].resolve();
    for (let i = 0; i < 5; i++) await tick();
    expect(t.store.getState().compute).toMatchObject({ status: 'ready', result: { L: 40 } });
    t.stop();
  });

  it('stepping back uses the cache and never runs the stepper again', async () => {
    const t = setup();
    await tick();
    t.runs[0].resolve();
    await tick();
    const s = t.store.getState;
    s().seek(5);
    for (let i = 0; i < 20 && s().steps.length < 5; i++) await tick();
    expect(t.stepCount()).toBe(5);
    s().stepBack();
    s().stepBack();
    s().stepForward();
    for (let i = 0; i < 5; i++) await tick();
    expect(t.stepCount()).toBe(5);
    expect(s().k).toBe(4);
    t.stop();
    expect(t.disposed()).toBe(1);
  });

  it('moving parameters during playback and readback never uses a released stepper nor shows a stale step', async () => {
    const freedWhileBusy: number[] = [];
    let live = 0;
    const stage: BuiltStage = {
      ...controlledStage().stage,
      runtime: {
        steps: (p) => Number(p.L),
        run: async (_gpu, params) => {
          await new Promise((r) => setTimeout(r, 1));
          return {
            backend: 'cpu' as const,
            ran: { backend: 'cpu', dispatches: [], gpuMs: null, timeline: null },
            L: params.L,
          };
        },
        createStepper: async (_gpu, params) => {
          live++;
          let busy = false;
          return makeStepper('fake.slow', {
            backend: 'cpu',
            count: Number(params.L),
            advance: async (k) => {
              busy = true;
              await new Promise((r) => setTimeout(r, 2));
              busy = false;
              return { k: k + 1, L: params.L };
            },
            free: () => {
              if (busy) freedWhileBusy.push(Number(params.L));
              live--;
            },
          });
        },
      },
    };
    const store = createAppStore(
      { steps: (_, p) => Number(p.L) },
      { stageId: 'ssm', params: { L: 30 }, k: 0 },
    );
    store.getState().setGpuInfo({ state: 'cpu', adapterName: null, reason: 'test', forcedCpu: true }, true);
    const stop = startSession(store, { findStage: () => stage, gpu: () => null, cpu: (st) => st.runtime });
    const s = store.getState;
    s().seek(25);
    for (let L = 12; L <= 28; L += 2) {
      await new Promise((r) => setTimeout(r, 3));
      s().setParam('L', L);
      s().seek(L - 2);
    }
    for (let i = 0; i < 400 && (s().compute.status !== 'ready' || s().steps.length < s().k); i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(s().stepError).toBeNull();
    expect(s().compute).toMatchObject({ status: 'ready', result: { L: 28 } });
    expect(s().steps).toHaveLength(26);
    expect((s().steps as { L: number }[]).every((st) => st.L === 28)).toBe(true);
    expect(freedWhileBusy).toEqual([]);
    stop();
    await new Promise((r) => setTimeout(r, 10));
    expect(live).toBe(0);
  });
});
