// The `attention` stage's decode stepper: autoregressive decoding with a growing KV cache. Step t projects
// token t (q_t = W_Q x_t; k_t, v_t appended to the cache as row t), then attends q_t to the t + 1 cached keys
// (naive attention with sq = 1, sk = t + 1, each head's weights copied out) and reads back the row's
// weights and output. Each step is one GPU submission, timed: GPU time from timestamp queries where the
// device has them, else the awaited wall time of the submission; the CPU stepper times its own float64
// work. Every clock is named in the step (DecodeClock), never passed off as another.

import type { Gpu } from '../gpu/device';
import { type DispatchRecord, runDispatches } from '../gpu/kernel';
import { BufferScope, readF32 } from '../gpu/tensor';
import { linear } from '../reference/blocks';
import { kIndex, resolveScale, softmaxAttention } from '../reference/attention';
import { traceBuffer } from '../trace/events';
import { matmulDispatch } from '../programs/layers/matmul';
import { type Host, makeStepper, type Stepper } from '../programs/program';
import {
  type AttentionStageInputs,
  type AttentionStageParams,
  attnShape,
  checkAttentionStageInputs,
  LABEL,
  modelWidth,
  naiveHeadsDispatch,
  stageTokens,
  validateAttentionStageParams,
} from './attentionParts';

/** How a step's time was taken: GPU timestamps, the wall time of the awaited submission, or CPU time. */
export type DecodeClock = 'gpu-timestamp' | 'gpu-wall' | 'cpu-wall';

/** Step t (0-based): token t's K and V appended, its attention row over the t + 1 cached keys. */
export interface DecodeStep {
  t: number;
  token: string;
  q: Host; // (h, d) q_t
  k: Host; // (h_k, d) k_t, now cache row t
  v: Host; // (h_k, d) v_t
  weights: Host; // (h, t + 1) softmax(q_t Kᵀ/√d) over the cache, per query head
  out: Host; // (h, d) o_t = weights · V
  lse: Host; // (h,)
  /** Keys in the cache after this step (t + 1). */
  cacheLen: number;
  /** Bytes the cache holds after this step: K and V, (t + 1)·h_k·d f32 each. */
  cacheBytes: number;
  /** Measured time of the step in ms, and which clock measured it. */
  ms: number;
  clock: DecodeClock;
  /** The dispatches of the step (empty on the CPU). */
  dispatches: DispatchRecord[];
}

export type DecodeStepper = Stepper<DecodeStep>;

/** Playback steps: one per token of the text. */
export const stepCount = (p: Pick<AttentionStageParams, 'text'>): number => stageTokens(p.text).length;

/**
 * gpu null -> the float64 CPU stepper. Otherwise the layer's weights and an (L, h_k, d) K and V cache live
 * on the GPU between steps; a step's uniforms and scratch live only for that step.
 */
export async function createStepper(
  gpu: Gpu | null,
  p: AttentionStageParams,
  inputs: AttentionStageInputs,
): Promise<DecodeStepper> {
  validateAttentionStageParams(p);
  const L = checkAttentionStageInputs(p, inputs);
  return gpu ? gpuStepper(gpu, p, inputs, L) : cpuStepper(p, inputs, L);
}

function gpuStepper(gpu: Gpu, p: AttentionStageParams, x: AttentionStageInputs, L: number): DecodeStepper {
  const D = modelWidth(p);
  const nq = p.h * p.d;
  const nkv = p.hk * p.d;
  const scope = new BufferScope(gpu, `${LABEL}.decode`);
  const b = {
    x: scope.upload('x', x.x), // (L, D)
    WQ: scope.upload('WQ', x.WQ), // (h·d, D)
    WK: scope.upload('WK', x.WK), // (h_k·d, D)
    WV: scope.upload('WV', x.WV), // (h_k·d, D)
    Kc: scope.storage('Kcache', L * nkv * 4), // (L, h_k, d)
    Vc: scope.storage('Vcache', L * nkv * 4), // (L, h_k, d)
    q: scope.storage('q', nq * 4), // (1, h, d)
    o: scope.storage('out', nq * 4), // (1, h, d)
    lse: scope.storage('lse', p.h * 4), // (h, 1)
    weights: scope.storage('weights', p.h * L * 4), // (h, L): head hh's row at hh·L
  };
  return makeStepper(`${LABEL}.decode`, {
    backend: 'webgpu',
    count: L,
    async advance(t) {
      const step = new BufferScope(gpu, `${LABEL}.decode.step`);
      try {
        // Row t of x in, into q or row t of the cache (element offsets, rows = 1).
        const project = (W: GPUBuffer, y: GPUBuffer, outF: number, yOff: number) =>
          matmulDispatch(
            gpu,
            step,
            { rows: 1, inF: D, outF },
            { x: b.x, W, bias: null, y },
            { xOff: t * D, yOff },
          );
        const a = attnShape(p, 1, t + 1, true);
        const attn = { q: b.q, k: b.Kc, v: b.Vc, o: b.o, lse: b.lse, trace: traceBuffer(step, 0) };
        const dispatches = [
          await project(b.WQ, b.q, nq, 0),
          await project(b.WK, b.Kc, nkv, t * nkv),
          await project(b.WV, b.Vc, nkv, t * nkv),
          ...(await naiveHeadsDispatch(gpu, step, a, attn, { P: b.weights, headStride: L, rowStride: L })),
        ];
        const t0 = performance.now();
        const run = await runDispatches(gpu, `${LABEL}.decode`, dispatches, { time: true });
        const wall = performance.now() - t0;
        const all = await readF32(gpu, b.weights, p.h * L);
        const weights = new Float32Array(p.h * (t + 1));
        for (let hh = 0; hh < p.h; hh++) weights.set(all.subarray(hh * L, hh * L + t + 1), hh * (t + 1));
        return {
          ...cacheOf(p, t, x.tokens),
          q: await readF32(gpu, b.q, nq),
          k: (await readF32(gpu, b.Kc, (t + 1) * nkv)).slice(t * nkv),
          v: (await readF32(gpu, b.Vc, (t + 1) * nkv)).slice(t * nkv),
          weights,
          out: await readF32(gpu, b.o, nq),
          lse: await readF32(gpu, b.lse, p.h),
          ms: run.gpuMs ?? wall,
          clock: run.gpuMs === null ? 'gpu-wall' : 'gpu-timestamp',
          dispatches: run.dispatches,
        };
      } finally {
        step.release();
      }
    },
    free: () => scope.release(),
  });
}

const cacheOf = (p: AttentionStageParams, t: number, tokens: readonly string[]) => ({
  t,
  token: tokens[t],
  cacheLen: t + 1,
  cacheBytes: 2 * (t + 1) * p.hk * p.d * 4,
});

/** The same steps in float64: the projections of row t, the cache, softmaxAttention on one query row. */
function cpuStepper(p: AttentionStageParams, x: AttentionStageInputs, L: number): DecodeStepper {
  const D = modelWidth(p);
  const nq = p.h * p.d;
  const nkv = p.hk * p.d;
  const scale = resolveScale(p.d);
  const Kc = new Float64Array(L * nkv); // (L, h_k, d)
  const Vc = new Float64Array(L * nkv);
  return makeStepper(`${LABEL}.decode`, {
    backend: 'cpu',
    count: L,
    advance(t) {
      const t0 = performance.now();
      const xt = x.x.subarray(t * D, (t + 1) * D);
      const q = linear(xt, x.WQ, 1, D, nq);
      const k = linear(xt, x.WK, 1, D, nkv);
      const v = linear(xt, x.WV, 1, D, nkv);
      Kc.set(k, t * nkv);
      Vc.set(v, t * nkv);
      const a = attnShape(p, 1, t + 1, true);
      const K = Kc.subarray(0, (t + 1) * nkv);
      const { out, lse } = softmaxAttention(q, K, Vc.subarray(0, (t + 1) * nkv), a, true, scale);
      const weights = new Float64Array(p.h * (t + 1));
      const group = p.h / p.hk;
      for (let hh = 0; hh < p.h; hh++)
        for (let j = 0; j <= t; j++) {
          const ko = kIndex(a, 0, j, Math.floor(hh / group));
          let dot = 0;
          for (let c = 0; c < p.d; c++) dot += q[hh * p.d + c] * K[ko + c];
          weights[hh * (t + 1) + j] = Math.exp(scale * dot - lse[hh]);
        }
      const ms = performance.now() - t0;
      return {
        ...cacheOf(p, t, x.tokens),
        q,
        k,
        v,
        weights,
        out,
        lse,
        ms,
        clock: 'cpu-wall',
        dispatches: [],
      };
    },
  });
}
