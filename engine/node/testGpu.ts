// One shared Dawn device per test worker. Tests that need the GPU call `testGpu()`; it throws with the
// reason when no adapter exists, so a GPU test fails loudly instead of being skipped.

import type { Gpu } from '../gpu/device';
import { requestNodeGpu } from './gpu';

let pending: Promise<Gpu> | null = null;

export function testGpu(): Promise<Gpu> {
  if (!pending) {
    pending = requestNodeGpu().then(({ result }) => {
      if (!result.ok) throw new Error(`WebGPU unavailable in Node: ${result.reason}`);
      return result.gpu;
    });
  }
  return pending.then((gpu) => {
    if (gpu.status === 'lost') {
      pending = null;
      return testGpu();
    }
    return gpu;
  });
}
