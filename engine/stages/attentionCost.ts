// The cost of decoding token N, measured: one decode step's attention (q_N against a KV cache of N keys,
// the stage's heads and head dim, the same naive kernels as the decode stepper) timed at each chosen N, so
// the growth with N shows beyond the reader's short sentence. The cache holds zeros (fresh buffers, no
// host work): no kernel branches on the values, so the time is the same as for real ones. The clock is named as in the stepper (GPU timestamps, else the awaited wall time of
// the submission; the CPU backend its own float64 time); the median of `repeats` runs is kept.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import { type Dispatch, runDispatches } from '../gpu/kernel';
import { inScope } from '../gpu/run';
import { softmaxAttention } from '../reference/attention';
import { attentionSizes } from '../programs/attention/common';
import { traceBuffer } from '../trace/events';
import { naiveAttentionDispatch } from '../programs/attention/naiveAttention';
import type { DecodeClock } from './attentionDecode';
import { type AttentionStageParams, attnShape, LABEL, validateHeads } from './attentionParts';

/** The cache lengths a sweep may ask for, and how many of them. */
export const DECODE_COST_LIMITS = { N: [1, 16384], lengths: 16, repeats: [1, 15] } as const;

export interface DecodeCost {
  /** Keys in the cache (the token's position plus one). */
  N: number;
  /** Median measured time of the step's attention, ms. */
  ms: number;
  clock: DecodeClock;
  /** Bytes of K and V the step reads: the whole cache, 2·N·h_k·d f32. */
  cacheBytes: number;
  /** Multiply-adds of the step: q·k and p·v for every head and key, 2·h·N·d. */
  macs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function checkSweep(lengths: readonly number[], repeats: number): void {
  const [lo, hi] = DECODE_COST_LIMITS.N;
  if (lengths.length < 1 || lengths.length > DECODE_COST_LIMITS.lengths)
    throw new EngineError(LABEL, `lengths must list 1..${DECODE_COST_LIMITS.lengths} cache lengths`);
  for (const N of lengths)
    if (!Number.isInteger(N) || N < lo || N > hi)
      throw new EngineError(LABEL, `each cache length N must be an integer in ${lo}..${hi} (got ${N})`);
  const [r0, r1] = DECODE_COST_LIMITS.repeats;
  if (!Number.isInteger(repeats) || repeats < r0 || repeats > r1)
    throw new EngineError(LABEL, `repeats must be an integer in ${r0}..${r1} (got ${repeats})`);
}

/**
 * Times `dispatches` repeats + 1 times (the first, a warm-up, not kept): by GPU timestamps where the device
 * has them and every run gave one, else by the awaited wall time of each plain submission.
 */
async function timeRuns(gpu: Gpu, dispatches: Dispatch[], repeats: number) {
  const label = `${LABEL}.cost`;
  if (gpu.features.timestampQuery) {
    const gpuMs: Array<number | null> = [];
    for (let r = 0; r <= repeats; r++)
      gpuMs.push((await runDispatches(gpu, label, dispatches, { time: true })).gpuMs);
    const kept = gpuMs.slice(1);
    if (kept.every((t) => t !== null)) return { times: kept as number[], clock: 'gpu-timestamp' as const };
  }
  const times = await wallTimes(() => runDispatches(gpu, label, dispatches), repeats);
  return { times, clock: 'gpu-wall' as const };
}

/**
 * The measured cost of one decode step at each cache length in `lengths` (h, h_k, d from p; the text is not
 * used). gpu null -> the CPU reference's own time.
 */
export async function measureDecodeCost(
  gpu: Gpu | null,
  p: Pick<AttentionStageParams, 'h' | 'hk' | 'd'>,
  lengths: readonly number[],
  repeats = 5,
): Promise<DecodeCost[]> {
  validateHeads(p);
  checkSweep(lengths, repeats);
  const out: DecodeCost[] = [];
  for (const N of lengths) {
    const a = attnShape({ ...p, text: '', causal: true }, 1, N);
    const n = attentionSizes(a);
    const { times, clock } = gpu
      ? await inScope(gpu, `${LABEL}.cost`, async (scope) => {
          const s = (name: 'q' | 'k' | 'v' | 'o' | 'lse') => scope.storage(name, n[name] * 4);
          const b = {
            q: s('q'),
            k: s('k'),
            v: s('v'),
            o: s('o'),
            lse: s('lse'),
            trace: traceBuffer(scope, 0),
          };
          return timeRuns(gpu, await naiveAttentionDispatch(gpu, scope, a, b, { sliceRows: 1 }), repeats);
        })
      : {
          times: await wallTimes(() => {
            const zeros = (m: number) => new Float64Array(m);
            softmaxAttention(zeros(n.q), zeros(n.k), zeros(n.v), a, true);
          }, repeats),
          clock: 'cpu-wall' as const,
        };
    out.push({ N, ms: median(times), clock, cacheBytes: 2 * N * p.hk * p.d * 4, macs: 2 * p.h * N * p.d });
  }
  return out;
}

/** The wall time of each of repeats + 1 awaited calls of fn, the first (a warm-up) left out. */
async function wallTimes(fn: () => unknown, repeats: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    await fn();
    if (r > 0) times.push(performance.now() - t0);
  }
  return times;
}
