// A WGSL copy kernel: the device's bandwidth ceiling, measured in the same run as everything else, and a
// clock warmer. GPUs drop to an idle clock when work is sparse (the H200 to 345 of 1980 MHz), and a
// benchmark that uploads and reads back between timed runs lets them; an awaited burst of copies right
// before each timed run brings the clock back up, so figures measure the kernel, not the clock. Measured
// on an H200: with no burst, FlashAttention-2 read 14.0 or 31.2 ms and chunked SSD 1.7 or 6.1 ms from one
// comparison to the next; with 200 ms (the default, SEQSCOPE_WARM_MS) or 1000 ms, 14.0 and 1.7 every time.

import type { Gpu } from '../gpu/device';
import { gridFor } from '../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../gpu/kernel';
import { BufferScope } from '../gpu/tensor';
import { uniformFor } from '../gpu/uniforms';
import { type MeasureOptions, measure, type Variant } from './harness';

const WG = 256;

/** How a copy covers the buffer: ITEMS vectors per invocation, one pass or a grid-stride loop. */
export interface CopyShape {
  items: number;
  /** 'pass': enough workgroups for one pass; 'resident': at most 4096 workgroups striding over it. */
  grid: 'pass' | 'resident';
}

/** The shapes tried for the ceiling; the fastest is reported (the warm-up uses the first). */
export const COPY_SHAPES: readonly CopyShape[] = [
  { items: 4, grid: 'pass' },
  { items: 1, grid: 'pass' },
  { items: 4, grid: 'resident' },
  { items: 1, grid: 'resident' },
];

interface Copier {
  bytes: number;
  dispatch: Dispatch;
}

const memo = new WeakMap<Gpu, Map<string, Promise<unknown>>>();

/** `make()` once per device and key (buffers and dispatches live as long as the process). */
function perGpu<T>(gpu: Gpu, key: string, make: () => Promise<T>): Promise<T> {
  const m = memo.get(gpu) ?? new Map<string, Promise<unknown>>();
  memo.set(gpu, m);
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as Promise<T>;
}

/** src (filled with non-zero values, a MiB at a time) and dst of `bytes` each. */
function buffers(gpu: Gpu, bytes: number) {
  return perGpu(gpu, `buffers.${bytes}`, async () => {
    const scope = new BufferScope(gpu, 'bench.copy');
    const src = scope.storage('src', bytes);
    const chunk = Float32Array.from(
      { length: Math.min(bytes, 2 ** 20) / 4 },
      (_, i) => ((i * 0.618) % 1) + 1,
    );
    for (let at = 0; at < bytes; at += chunk.byteLength) {
      gpu.device.queue.writeBuffer(src, at, chunk.buffer, 0, Math.min(chunk.byteLength, bytes - at));
      // A pause every 32 MiB, so a page filling 256 MiB keeps answering (no task of a quarter GiB of copies).
      if ((at + chunk.byteLength) % 2 ** 25 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    return { scope, src, dst: scope.storage('dst', bytes) };
  });
}

/** One copy dispatch over `bytes` (a multiple of 16) in `shape`, built once per device, size and shape. */
function copier(gpu: Gpu, bytes: number, shape: CopyShape): Promise<Copier> {
  return perGpu(gpu, `copy.${bytes}.${shape.items}.${shape.grid}`, async () => {
    const n4 = bytes / 16;
    const b = await buffers(gpu, bytes);
    const k = await kernel(gpu, {
      label: 'bench.copy',
      sources: ['common/grid.wgsl', 'bench/copy.wgsl'],
      constants: { WG },
      prelude: `const ITEMS: u32 = ${shape.items}u;\n`,
    });
    const pass = Math.ceil(n4 / (WG * shape.items));
    const count = shape.grid === 'pass' ? pass : Math.min(4096, pass);
    const params = uniformFor(b.scope, k, { n4, stride: count * WG, count });
    const grid = gridFor(gpu, 'bench.copy', count);
    return {
      bytes,
      dispatch: {
        kernel: k,
        bindings: { p: params.buffer, src: b.src, dst: b.dst },
        workgroups: grid.workgroups,
      },
    };
  });
}

function copyBytes(gpu: Gpu, want: number): number {
  return Math.floor(Math.min(want, gpu.limits.maxStorageBufferBindingSize) / 16) * 16;
}

/**
 * Copies back to back in one submission for about `ms` of GPU time, awaited. The burst is sized from one
 * copy's GPU time (timestamps; wall time where there are none), not from wall time, which a submission's
 * overhead dominates. That first copy runs at whatever clock the GPU has, so after seconds of host work
 * (an H200 at its 345 MHz idle rate) the burst is sized for the slow clock and ends early once the clock
 * climbs: 200 ms asked then left 4K–16K rows up to 2× slow on the H200, where 1000 ms (the CLI's default,
 * mostly the 8000-copy cap: 0.13 s of 32 MiB copies at full clock) gave steady figures (BENCHMARKS.md, run D).
 */
export async function warmUp(gpu: Gpu, ms: number, bytes = 32 * 2 ** 20): Promise<void> {
  if (ms <= 0) return;
  const c = await copier(gpu, copyBytes(gpu, bytes), COPY_SHAPES[0]);
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

/**
 * The copy over `bytes` (read + written: 2·bytes of traffic) in every shape of COPY_SHAPES, measured like
 * every algorithm; the fastest shape is the ceiling.
 */
export async function measureCopy(gpu: Gpu, bytes: number, o: MeasureOptions): Promise<CopyCeiling> {
  const size = copyBytes(gpu, bytes);
  const variants: Variant[] = COPY_SHAPES.map((shape) => ({
    params: { ...shape },
    run: async (g) => {
      const c = await copier(g, size, shape);
      return { ...(await runDispatches(g, 'bench.copy', [c.dispatch], { time: true })), chosen: {} };
    },
  }));
  const m = await measure(gpu, variants, o);
  const shape = { items: Number(m.params.items), grid: m.params.grid as CopyShape['grid'] };
  return { bytes: size, ms: m.ms, gbps: (2 * size) / (m.ms * 1e6), reps: m.reps, timing: m.timing, shape };
}

export interface CopyCeiling {
  /** Bytes copied; traffic is twice this (read + write). */
  bytes: number;
  ms: number;
  gbps: number;
  reps: number;
  timing: 'timestamps' | 'wall';
  /** The fastest shape. */
  shape: CopyShape;
}
