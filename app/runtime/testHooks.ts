// A tiny hook for the e2e tests only (installed when the browser is driven by automation):
// window.__seqscope.loseDevice() destroys the GPU device to exercise the lost-device path;
// window.__seqscope.failRender() makes the stage throw once while rendering (the error boundary's path).

import { armRenderFault } from './faults';
import { destroyCurrentDevice } from './gpu';

declare global {
  interface Window {
    __seqscope?: { loseDevice(): void; failRender(): void };
  }
}

export function installTestHooks(): void {
  if (typeof navigator === 'undefined' || navigator.webdriver !== true) return;
  window.__seqscope = { loseDevice: destroyCurrentDevice, failRender: armRenderFault };
}
