// Owns the Gpu handle (outside the store: the store holds only what the badge shows). Initialises WebGPU
// or the forced CPU backend, and turns device loss into the 'lost' state the badge and button show.

import { type Gpu, releaseGpu, requestGpu } from '../../engine';
import type { AppStore } from '../store/createAppStore';

let current: Gpu | null = null;

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
  });
  setGpuInfo({ state: 'webgpu', adapterName: gpu.adapterName, reason: null, forcedCpu: false }, true);
}
