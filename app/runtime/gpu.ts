// Owns the Gpu handle (outside the store: the store holds only what the badge shows). Initialises WebGPU
// or the forced CPU backend. A lost device is shown as 'lost' and re-initialised by itself (after a short
// pause, a few times at most); the stage then recomputes and resumes at the same step, since k is the
// store's. The badge's button and seqscope:reinit re-initialise by hand.

import { type Gpu, releaseGpu, requestGpu } from '../../engine';
import type { AppStore } from '../store/createAppStore';

let current: Gpu | null = null;
/** Times of the automatic re-initialisations in the last minute: a device that keeps dying stays lost. */
let recent: number[] = [];
const MAX_AUTO_REINITS = 3;
const REINIT_DELAY_MS = 400;

/** The usable GPU, or null for the CPU backend (forced, unavailable, or lost). */
export function currentGpu(): Gpu | null {
  return current && current.status === 'ok' ? current : null;
}

/** Gives the device back, for the e2e test hook only (a device loss as the reader would meet it). */
export function destroyCurrentDevice(): void {
  if (current) releaseGpu(current);
}

export async function initGpu(store: AppStore, forceCpu: boolean): Promise<void> {
  const { setGpuInfo } = store.getState();
  const old = current;
  current = null;
  if (old) releaseGpu(old);
  setGpuInfo({ state: 'pending', adapterName: null, reason: null, forcedCpu: forceCpu }, false);
  if (forceCpu) {
    setGpuInfo({ state: 'cpu', adapterName: null, reason: 'forced by ?backend=cpu', forcedCpu: true }, true);
    return;
  }
  const result = await requestGpu();
  if (!result.ok) {
    setGpuInfo({ state: 'cpu', adapterName: null, reason: result.reason, forcedCpu: false }, true);
    return;
  }
  const gpu = result.gpu;
  current = gpu;
  gpu.onLost((reason) => {
    if (current !== gpu) return;
    store
      .getState()
      .setGpuInfo({ state: 'lost', adapterName: gpu.adapterName, reason, forcedCpu: false }, false);
    const now = Date.now();
    recent = recent.filter((t) => now - t < 60_000);
    if (recent.length >= MAX_AUTO_REINITS) return;
    recent.push(now);
    setTimeout(() => {
      if (current === gpu) void initGpu(store, false);
    }, REINIT_DELAY_MS);
  });
  setGpuInfo({ state: 'webgpu', adapterName: gpu.adapterName, reason: null, forcedCpu: false }, true);
}
