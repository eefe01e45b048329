// Tests of the store's actions, called outside React as the clock and the runtime call them.

import { describe, expect, it } from 'vitest';
import { createAppStore } from './createAppStore';

const deps = { steps: (_: string, p: Readonly<Record<string, number | string>>) => Number(p.L) };
const make = (k = 0) => createAppStore(deps, { stageId: 'ssm', params: { L: 10, signal: 'step' }, k });

describe('app store', () => {
  it('playback actions move k within 0..n and stepping pauses play', () => {
    const store = make();
    const s = store.getState;
    s().stepBack();
    expect(s().k).toBe(0);
    s().play();
    s().stepForward();
    expect(s()).toMatchObject({ k: 1, playing: false });
    s().seek(99);
    expect(s().k).toBe(10);
    s().stepForward();
    expect(s().k).toBe(10);
    s().seek(3.6);
    expect(s().k).toBe(4);
  });

  it('play at the end starts again from 0', () => {
    const store = make(10);
    store.getState().togglePlay();
    expect(store.getState()).toMatchObject({ k: 0, playing: true });
  });

  it('an initial k beyond n is clamped', () => {
    expect(make(50).getState().k).toBe(10);
  });

  it('changing a param updates n, clamps k and empties the step cache', () => {
    const store = make(8);
    store.getState().appendStep({ y: 1 });
    store.getState().setParam('L', 5);
    expect(store.getState()).toMatchObject({ n: 5, k: 5, steps: [] });
  });

  it('switching stage resets k and takes the new params', () => {
    const store = make(8);
    store.getState().setStage('other', { L: 3 });
    expect(store.getState()).toMatchObject({ stageId: 'other', params: { L: 3 }, n: 3, k: 0 });
  });

  it('a compute error stops playback and is kept as a message', () => {
    const store = make();
    store.getState().play();
    store.getState().setComputeError('boom');
    expect(store.getState()).toMatchObject({ playing: false, compute: { status: 'error', error: 'boom' } });
  });

  it('GPU re-initialisation bumps the generation only when asked', () => {
    const store = make();
    const info = { state: 'webgpu' as const, adapterName: 'x', reason: null, forcedCpu: false };
    store.getState().setGpuInfo(info, true);
    store.getState().setGpuInfo({ ...info, state: 'lost' }, false);
    expect(store.getState().gpu).toMatchObject({ state: 'lost', generation: 1 });
  });
});

describe('app store compute state', () => {
  it('a recompute keeps the previous result on screen and empties the step cache', () => {
    const store = make();
    store.getState().setComputeReady({ v: 1 }, 'cpu');
    store.getState().appendStep({ y: 1 });
    store.getState().setComputeRunning();
    expect(store.getState().compute).toMatchObject({ status: 'running', result: { v: 1 } });
    expect(store.getState().steps).toEqual([]);
  });

  it('switching stage drops the previous stage’s result', () => {
    const store = make();
    store.getState().setComputeReady({ v: 1 }, 'cpu');
    store.getState().setStage('other', { L: 3 });
    expect(store.getState().compute).toMatchObject({ status: 'idle', result: null });
  });
});
