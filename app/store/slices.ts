// The store's slices. Each slice owns its fields; cross-slice effects (params change -> n and k) are
// written out in the action that causes them.

import type { StateCreator } from 'zustand';
import type {
  AppState,
  ComputeSlice,
  GpuSlice,
  ParamsSlice,
  PlaybackSlice,
  StageSlice,
  StoreDeps,
  UiSlice,
} from './types';

type Slice<T> = StateCreator<AppState, [], [], T>;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export const stageSlice =
  (deps: StoreDeps, initial: { stageId: string }): Slice<StageSlice> =>
  (set) => ({
    stageId: initial.stageId,
    notices: [],
    setStage: (stageId, params) =>
      set({
        stageId,
        params,
        n: deps.steps(stageId, params),
        k: 0,
        steps: [],
        compute: { status: 'idle', error: null, result: null, backend: null },
      }),
    addNotices: (messages) => set((s) => ({ notices: [...s.notices, ...messages] })),
    dismissNotices: () => set({ notices: [] }),
  });

export const paramsSlice =
  (deps: StoreDeps, initial: { params: Record<string, number | string> }): Slice<ParamsSlice> =>
  (set) => ({
    params: initial.params,
    setParam: (key, value) =>
      set((s) => {
        const params = { ...s.params, [key]: value };
        const n = deps.steps(s.stageId, params);
        return { params, n, k: Math.min(s.k, n), steps: [] };
      }),
    setParams: (params) =>
      set((s) => {
        const n = deps.steps(s.stageId, params);
        return { params: { ...params }, n, k: Math.min(s.k, n), steps: [] };
      }),
  });

export const playbackSlice =
  (initial: { k: number; n: number }): Slice<PlaybackSlice> =>
  (set) => ({
    k: initial.k,
    n: initial.n,
    playing: false,
    speed: 4,
    play: () => set((s) => (s.k >= s.n ? { playing: true, k: 0 } : { playing: true })),
    pause: () => set({ playing: false }),
    togglePlay: () =>
      set((s) => (s.playing ? { playing: false } : s.k >= s.n ? { playing: true, k: 0 } : { playing: true })),
    stepForward: () => set((s) => ({ k: clamp(s.k + 1, 0, s.n), playing: false })),
    stepBack: () => set((s) => ({ k: clamp(s.k - 1, 0, s.n), playing: false })),
    seek: (k) => set((s) => ({ k: clamp(Math.round(k), 0, s.n) })),
    setSpeed: (speed) => set({ speed: clamp(speed, 0.25, 64) }),
  });

export const gpuSlice: Slice<GpuSlice> = (set) => ({
  gpu: { state: 'pending', adapterName: null, reason: null, forcedCpu: false, generation: 0 },
  setGpuInfo: (info, bump) =>
    set((s) => ({ gpu: { ...info, generation: s.gpu.generation + (bump ? 1 : 0) } })),
});

export const computeSlice: Slice<ComputeSlice> = (set) => ({
  compute: { status: 'idle', error: null, result: null, backend: null },
  steps: [],
  stepError: null,
  // The previous result stays on screen (marked busy) until the new one is ready: no flicker while dragging.
  setComputeRunning: () =>
    set((s) => ({ compute: { ...s.compute, status: 'running', error: null }, steps: [], stepError: null })),
  setComputeReady: (result, backend) => set({ compute: { status: 'ready', error: null, result, backend } }),
  setComputeError: (message) =>
    set({ compute: { status: 'error', error: message, result: null, backend: null }, playing: false }),
  appendStep: (step) => set((s) => ({ steps: [...s.steps, step] })),
  appendSteps: (steps) => set((s) => ({ steps: [...s.steps, ...steps] })),
  setStepError: (message) => set(message ? { stepError: message, playing: false } : { stepError: null }),
});

export const uiSlice =
  (initial: Pick<UiSlice, 'lang' | 'langChosen' | 'theme' | 'embedding'>): Slice<UiSlice> =>
  (set) => ({
    ...initial,
    highlight: null,
    setLang: (lang) => set({ lang, langChosen: true }),
    setTheme: (theme) => set({ theme }),
    setHighlight: (highlight) => set((s) => (s.highlight === highlight ? s : { highlight })),
  });
