// One vanilla zustand store built from the slices. Actions are plain functions on the store, so the
// animation clock and the engine runtime call them without React.

import { createStore } from 'zustand/vanilla';
import type { ParamValue } from '../stages/types';
import type { Lang } from '../i18n';
import type { EmbedOptions, Theme } from '../url';
import { computeSlice, gpuSlice, paramsSlice, playbackSlice, stageSlice, uiSlice } from './slices';
import type { AppState, StoreDeps } from './types';

export interface InitialState {
  stageId: string;
  params: Record<string, ParamValue>;
  k: number;
  lang?: Lang;
  langChosen?: boolean;
  theme?: Theme | null;
  embedding?: EmbedOptions;
}

const NOT_EMBEDDED: EmbedOptions = { embed: false, stages: null, parentOrigin: null, statements: false };

export function createAppStore(deps: StoreDeps, initial: InitialState) {
  const n = deps.steps(initial.stageId, initial.params);
  return createStore<AppState>()((...a) => ({
    ...stageSlice(deps, initial)(...a),
    ...paramsSlice(deps, initial)(...a),
    ...playbackSlice({ k: Math.min(Math.max(0, initial.k), n), n })(...a),
    ...gpuSlice(...a),
    ...computeSlice(...a),
    ...uiSlice({
      lang: initial.lang ?? 'en',
      langChosen: initial.langChosen ?? false,
      theme: initial.theme ?? null,
      embedding: initial.embedding ?? NOT_EMBEDDED,
    })(...a),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
