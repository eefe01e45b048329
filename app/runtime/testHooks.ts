// Hooks for the e2e tests only (installed when the browser is driven by automation), on window.__seqscope:
// loseDevice() destroys the GPU device (the lost-device path); failRender() makes the stage throw once
// while rendering (the error boundary's path); liveBuffers() counts the GPU buffers alive (leak tests);
// idle() tells whether the engine has nothing in flight.

import type { AppStore } from '../store/createAppStore';
import { armRenderFault } from './faults';
import { currentGpu, destroyCurrentDevice } from './gpu';

declare global {
  interface Window {
    __seqscope?: { loseDevice(): void; failRender(): void; liveBuffers(): number; idle(): boolean };
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
  };
}
