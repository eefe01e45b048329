// The app store's state, one interface per slice. Values only; engine objects (the Gpu handle, steppers)
// stay in app/runtime, outside the store.

import type { Lang } from '../i18n';
import type { Notice, ParamValue } from '../stages/types';
import type { EmbedOptions, Theme } from '../url';

export interface StageSlice {
  stageId: string;
  /** Visible messages for the reader (malformed URL values, ignored requests), newest last. */
  notices: Notice[];
  /** Switches stage with a full parameter set; k goes back to 0. */
  setStage(stageId: string, params: Record<string, ParamValue>): void;
  addNotices(messages: Notice[]): void;
  dismissNotices(): void;
}

export interface ParamsSlice {
  params: Readonly<Record<string, ParamValue>>;
  setParam(key: string, value: ParamValue): void;
  setParams(params: Record<string, ParamValue>): void;
}

export interface PlaybackSlice {
  /** Steps shown, 0..n. */
  k: number;
  /** Number of steps for the current stage and params. */
  n: number;
  playing: boolean;
  /** Steps per second. */
  speed: number;
  play(): void;
  pause(): void;
  togglePlay(): void;
  stepForward(): void;
  stepBack(): void;
  seek(k: number): void;
  setSpeed(speed: number): void;
}

export type GpuState = 'pending' | 'webgpu' | 'cpu' | 'lost';

export interface GpuInfo {
  state: GpuState;
  adapterName: string | null;
  /** Why the CPU is used, or why the device was lost. */
  reason: string | null;
  forcedCpu: boolean;
  /** Bumped on every (re-)initialisation, so the stage recomputes. */
  generation: number;
}

export interface GpuSlice {
  gpu: GpuInfo;
  setGpuInfo(info: Omit<GpuInfo, 'generation'>, bump: boolean): void;
}

export type ComputeStatus = 'idle' | 'running' | 'ready' | 'error';

export interface ComputeSlice {
  compute: {
    status: ComputeStatus;
    error: string | null;
    /** The stage runtime's batched result (typed by the stage's own selectors). */
    result: unknown;
    backend: 'webgpu' | 'cpu' | null;
  };
  /** Stepper results read back so far: steps[i] is step i+1. Kept so stepping back never recomputes. */
  steps: readonly unknown[];
  stepError: string | null;
  setComputeRunning(): void;
  setComputeReady(result: unknown, backend: 'webgpu' | 'cpu'): void;
  setComputeError(message: string): void;
  appendStep(step: unknown): void;
  /** Several steps at once (a burst read back while catching up with k). */
  appendSteps(steps: readonly unknown[]): void;
  setStepError(message: string | null): void;
}

export interface UiSlice {
  /** How the page is embedded (fixed at load, from the URL). */
  embedding: EmbedOptions;
  lang: Lang;
  /** True when the URL or the reader chose the language (it then stays in the URL). */
  langChosen: boolean;
  /** null: follow prefers-color-scheme. */
  theme: Theme | null;
  /** The symbol linked between the math and the diagram (hover or focus), e.g. 'h' or 'Abar'. */
  highlight: string | null;
  setLang(lang: Lang): void;
  setTheme(theme: Theme | null): void;
  setHighlight(symbol: string | null): void;
}

export type AppState = StageSlice & ParamsSlice & PlaybackSlice & GpuSlice & ComputeSlice & UiSlice;

/** What the store needs to know about stages, injected so the store can be tested without React. */
export interface StoreDeps {
  steps(stageId: string, params: Readonly<Record<string, ParamValue>>): number;
}
