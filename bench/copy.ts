// A WGSL copy kernel: the device's bandwidth ceiling, measured in the same run as everything else, and a
// clock warmer. GPUs drop to an idle clock when work is sparse (the H200 to 345 of 1980 MHz), and a
// benchmark that uploads and reads back between timed runs lets them; an awaited burst of copies right
// before each timed run brings the clock back up, so figures measure the kernel, not the clock. Measured
// on an H200: with no burst, FlashAttention-2 read 14.0 or 31.2 ms and chunked SSD 1.7 or 6.1 ms from one
// comparison to the next; with 200 ms (the default, SEQSCOPE_WARM_MS) or 1000 ms, 14.0 and 1.7 every time.

import type { Gpu } from '../engine/gpu/device';
import { type Dispatch, kernel, runDispatches } from '../engine/gpu/kernel';
import { BufferScope } from '../engine/gpu/tensor';
import { uniformFor } from '../engine/gpu/uniforms';
import { type MeasureOptions, measure, type Variant } from './harness';

const WG = 256;

interface Copier {
  bytes: number;
  dispatch: Dispatch;
  scope: BufferScope;
}

const copiers = new WeakMap<Gpu, Map<number, Promise<Copier>>>();

/** One copy dispatch over `bytes` (rounded to 16), built once per device and size. */
function copier(gpu: Gpu, bytes: number): Promise<Copier> {
  const perGpu = copiers.get(gpu) ?? new Map<number, Promise<Copier>>();
  copiers.set(gpu, perGpu);
  let hit = perGpu.get(bytes);
  if (!hit) {
    hit = (async () => {
      const n4 = Math.ceil(bytes / 16);
      const scope = new BufferScope(gpu, 'bench.copy');
      const k = await kernel(gpu, { label: 'bench.copy', sources: ['bench/copy.wgsl'], constants: { WG } });
      const groups = Math.min(gpu.limits.maxComputeWorkgroupsPerDimension, Math.ceil(n4 / WG), 4096);
      const params = uniformFor(scope, k, { n4, stride: groups * WG });
      const src = scope.storage('src', n4 * 16);
      const dst = scope.storage('dst', n4 * 16);
      return {
        bytes: n4 * 16,
        scope,
        dispatch: { kernel: k, bindings: { p: params.buffer, src, dst }, workgroups: [groups] },
      };
    })();
    perGpu.set(bytes, hit);
  }
  return hit;
}

function copyBytes(gpu: Gpu, want: number): number {
  return Math.min(want, Math.floor(gpu.limits.maxStorageBufferBindingSize / 16) * 16);
}

/**
 * Copies back to back in one submission for about `ms` of GPU time, awaited. The burst is sized from one
 * copy's GPU time (timestamps; wall time where there are none), not from wall time, which a submission's
 * overhead dominates.
 */
export async function warmUp(gpu: Gpu, ms: number, bytes = 32 * 2 ** 20): Promise<void> {
  if (ms <= 0) return;
  const c = await copier(gpu, copyBytes(gpu, bytes));
  const t0 = performance.now();
  const first = await runDispatches(gpu, 'bench.warmUp', [c.dispatch], { time: true });
  const one = Math.max(0.002, first.gpuMs ?? performance.now() - t0);
  const n = Math.min(8000, Math.ceil(ms / one));
  await runDispatches(
    gpu,
    'bench.warmUp',
    Array.from({ length: n }, () => c.dispatch),
  );
}

/** The copy kernel over `bytes` (read + written: 2·bytes of traffic), measured like every algorithm. */
export async function measureCopy(gpu: Gpu, bytes: number, o: MeasureOptions): Promise<CopyCeiling> {
  const c = await copier(gpu, copyBytes(gpu, bytes));
  const variant: Variant = {
    params: { bytes: c.bytes },
    run: async (g) => ({
      ...(await runDispatches(g, 'bench.copy', [c.dispatch], { time: true })),
      chosen: {},
    }),
  };
  const m = await measure(gpu, [variant], o);
  return { bytes: c.bytes, ms: m.ms, gbps: (2 * c.bytes) / (m.ms * 1e6), reps: m.reps, timing: m.timing };
}

export interface CopyCeiling {
  /** Bytes copied; traffic is twice this (read + write). */
  bytes: number;
  ms: number;
  gbps: number;
  reps: number;
  timing: 'timestamps' | 'wall';
}
