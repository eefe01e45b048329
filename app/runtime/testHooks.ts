// Hooks for the e2e tests only (installed when the browser is driven by automation), on window.__seqscope:
// loseDevice() destroys the GPU device (the lost-device path); failRender() makes the stage throw once
// while rendering (the error boundary's path); liveBuffers() counts the GPU buffers alive (leak tests);
// idle() tells whether the engine has nothing in flight; parse(search) is the page's own parse of a query
// string and view() the store's view in the same shape, so the URL fuzz compares what the page shows with
// what a parse of that URL gives.

import { builtStages, stages } from '../stages/registry';
import type { ParamValue } from '../stages/types';
import type { AppStore } from '../store/createAppStore';
import { parseSearch } from '../url';
import { armRenderFault } from './faults';
import { currentGpu, destroyCurrentDevice } from './gpu';

/** The part of the state a URL sets, as plain JSON. */
export interface TestView {
  stageId: string;
  params: Record<string, ParamValue>;
  k: number;
  lang: string | null;
  theme: string | null;
  notices: number;
}

declare global {
  interface Window {
    __seqscope?: {
      loseDevice(): void;
      failRender(): void;
      liveBuffers(): number;
      idle(): boolean;
      parse(search: string): TestView;
      view(): TestView;
    };
  }
}

export function installTestHooks(store: AppStore): void {
  if (typeof navigator === 'undefined' || navigator.webdriver !== true) return;
  window.__seqscope = {
    loseDevice: destroyCurrentDevice,
    failRender: armRenderFault,
    liveBuffers: () => currentGpu()?.liveBuffers.size ?? -1,
    idle: () => {
      const s = store.getState();
      return s.compute.status === 'ready' && s.steps.length >= s.k;
    },
    parse: (search) => {
      const p = parseSearch(
        search,
        builtStages,
        stages.filter((s) => s.status === 'coming'),
      );
      const view = { stageId: p.stageId, params: { ...p.params }, k: p.k, lang: p.lang, theme: p.theme };
      return { ...view, notices: p.messages.length };
    },
    view: () => {
      const s = store.getState();
      const lang = s.langChosen ? s.lang : null;
      return {
        stageId: s.stageId,
        params: { ...s.params },
        k: s.k,
        lang,
        theme: s.theme,
        notices: s.notices.length,
      };
    },
  };
}
