// The `attention` stage's composite, imported by the app as the `attentionStage` namespace: the reader's
// sentence through one attention layer in ONE GPU submission, from dispatch builders of the layers family
// (the projections Q = X W_Qᵀ, K = X W_Kᵀ, V = X W_Vᵀ) and the attention family (naive attention, which
// materialises S and P, with each head's S and P copied out; FlashAttention-2 on the same Q, K, V for the
// flash = naive check; with the mask off, a causal FlashAttention-2 run for the decode check). The decode
// stepper is attentionDecode.ts, the measured cost of a decode step at long caches attentionCost.ts.
// Leaves out W_O, positions and batching.

import type { Gpu } from '../gpu/device';
import type { DispatchRecord } from '../gpu/kernel';
import { readF32, storageBytes } from '../gpu/tensor';
import { linear } from '../reference/blocks';
import {
  flashAttentionTiled,
  isVisible,
  kIndex,
  qIndex,
  resolveScale,
  softmaxAttention,
} from '../reference/attention';
import { traceBuffer, traceWords } from '../trace/events';
import { ATTENTION_TRACE, type AttentionBuffers } from '../programs/attention/common';
import { flashAttentionDispatch } from '../programs/attention/flashAttention';
import { naiveSlices } from '../programs/attention/naiveAttention';
import { matmulDispatch } from '../programs/layers/matmul';
import type { Host, Program, RunOptions, RunResult } from '../programs/program';
import {
  type AttentionStageInputs,
  type AttentionStageParams,
  attnShape,
  checkAttentionStageInputs,
  LABEL,
  makeAttentionStageInputs,
  modelWidth,
  naiveHeadsDispatch,
  stageTokens,
  validateAttentionStageParams,
} from './attentionParts';
import { runBlock } from './common';

export {
  ATTENTION_STAGE_LIMITS,
  type AttentionStageInputs,
  type AttentionStageParams,
  modelWidth,
  stageTokens,
  validateAttentionStageParams,
} from './attentionParts';
export { DECODE_COST_LIMITS, type DecodeCost, measureDecodeCost } from './attentionCost';
export {
  createStepper,
  type DecodeClock,
  type DecodeStep,
  type DecodeStepper,
  stepCount,
} from './attentionDecode';

/** Everything the stage shows, from one program run (GPU or CPU). */
export type AttentionStageOutputs = {
  q: Host; // (L, h, d)
  k: Host; // (L, h_k, d)
  v: Host; // (L, h_k, d)
  S: Host; // (h, L, L) S = QKᵀ/√d per query head, −∞ where masked
  P: Host; // (h, L, L) softmax rows of S
  out: Host; // (L, h, d) O = PV (naive attention)
  lse: Host; // (h, L) log Σ_j exp S_ij
  outFlash: Host; // (L, h, d) FlashAttention-2 on the same Q, K, V and mask
  outCausal: Host; // (L, h, d) causal O (= out when causal): what decoding token by token must give
};

/** FlashAttention-2's requested tiles (the family shrinks them to fit workgroup memory). */
const FLASH_TILES = { Br: 16, Bc: 16 } as const;

interface StageBuffers extends AttentionBuffers {
  S: GPUBuffer; // (h, L, L)
  P: GPUBuffer; // (h, L, L)
  oFlash: GPUBuffer; // (L, h, d)
  oCausal: GPUBuffer; // (L, h, d), o itself when causal
}

function runStage(
  gpu: Gpu,
  p: AttentionStageParams,
  x: AttentionStageInputs,
  opts: RunOptions,
): Promise<RunResult<AttentionStageOutputs>> {
  validateAttentionStageParams(p);
  const L = checkAttentionStageInputs(p, x);
  const D = modelWidth(p);
  const a = attnShape(p, L, L);
  const nq = L * p.h * p.d;
  const nkv = L * p.hk * p.d;
  return runBlock(
    gpu,
    LABEL,
    ATTENTION_TRACE,
    async (scope, traced) => {
      const s = (name: string, floats: number) => scope.storage(name, floats * 4);
      const xb = scope.upload('x', x.x);
      const b: StageBuffers = {
        q: s('q', nq),
        k: s('k', nkv),
        v: s('v', nkv),
        o: s('out', nq),
        lse: s('lse', p.h * L),
        trace: traceBuffer(scope, traced ? naiveSlices(a, L).traceCapacity : 0),
        S: s('Sheads', p.h * L * L),
        P: s('Pheads', p.h * L * L),
        oFlash: s('outFlash', nq),
        oCausal: p.causal ? s('noCausal', 1) : s('outCausal', nq),
      };
      const project = (name: string, W: Float32Array, y: GPUBuffer, outF: number) =>
        matmulDispatch(
          gpu,
          scope,
          { rows: L, inF: D, outF },
          { x: xb, W: scope.upload(name, W), bias: null, y },
        );
      const flash = (o: GPUBuffer, causal: boolean) =>
        flashAttentionDispatch(
          gpu,
          scope,
          { ...attnShape(p, L, L, causal), ...FLASH_TILES },
          {
            q: b.q,
            k: b.k,
            v: b.v,
            o,
            lse: s(causal === p.causal ? 'lseFlash' : 'lseCausal', p.h * L),
            trace: traceBuffer(scope, 0),
          },
        );
      const dispatches = [
        await project('WQ', x.WQ, b.q, p.h * p.d),
        await project('WK', x.WK, b.k, p.hk * p.d),
        await project('WV', x.WV, b.v, p.hk * p.d),
        ...(await naiveHeadsDispatch(
          gpu,
          scope,
          a,
          b,
          { S: b.S, P: b.P, headStride: L * L, rowStride: L },
          traced,
        )),
        await flash(b.oFlash, p.causal),
        ...(p.causal ? [] : [await flash(b.oCausal, true)]),
      ];
      return { dispatches, b };
    },
    async (b): Promise<AttentionStageOutputs> => {
      const out = await readF32(gpu, b.o, nq);
      return {
        q: await readF32(gpu, b.q, nq),
        k: await readF32(gpu, b.k, nkv),
        v: await readF32(gpu, b.v, nkv),
        S: await readF32(gpu, b.S, p.h * L * L),
        P: await readF32(gpu, b.P, p.h * L * L),
        out,
        lse: await readF32(gpu, b.lse, p.h * L),
        outFlash: await readF32(gpu, b.oFlash, nq),
        outCausal: p.causal ? out : await readF32(gpu, b.oCausal, nq),
      };
    },
    opts,
  );
}

/**
 * The float64 truth: the projections (reference linear), softmaxAttention for O and lse, FlashAttention-2's
 * tiled online softmax (flashAttentionTiled) for the flash output, so flash = naive compares two forms on
 * the CPU too. S = scale·qᵢ·kⱼ (−∞ where masked) and P = exp(S − lse) are computed here: the family's
 * reference keeps neither.
 */
function referenceStage(p: AttentionStageParams, x: AttentionStageInputs): AttentionStageOutputs {
  validateAttentionStageParams(p);
  const L = checkAttentionStageInputs(p, x);
  const D = modelWidth(p);
  const q = linear(x.x, x.WQ, L, D, p.h * p.d);
  const k = linear(x.x, x.WK, L, D, p.hk * p.d);
  const v = linear(x.x, x.WV, L, D, p.hk * p.d);
  const a = attnShape(p, L, L);
  const scale = resolveScale(p.d);
  const { out, lse } = softmaxAttention(q, k, v, a, p.causal, scale);
  const S = new Float64Array(p.h * L * L);
  const P = new Float64Array(p.h * L * L);
  const group = p.h / p.hk;
  for (let hh = 0; hh < p.h; hh++)
    for (let i = 0; i < L; i++)
      for (let j = 0; j < L; j++) {
        const at = (hh * L + i) * L + j;
        if (!isVisible(i, j, L, L, p.causal)) {
          S[at] = Number.NEGATIVE_INFINITY;
          continue;
        }
        const qo = qIndex(a, 0, i, hh);
        const ko = kIndex(a, 0, j, Math.floor(hh / group));
        let dot = 0;
        for (let c = 0; c < p.d; c++) dot += q[qo + c] * k[ko + c];
        S[at] = scale * dot;
        P[at] = Math.exp(S[at] - lse[hh * L + i]);
      }
  const outCausal = p.causal ? out : softmaxAttention(q, k, v, a, true, scale).out;
  const outFlash = flashAttentionTiled(q, k, v, a, FLASH_TILES.Br, FLASH_TILES.Bc, p.causal, scale).out;
  return { q, k, v, S, P, out, lse, outFlash, outCausal };
}

export const program: Program<AttentionStageParams, AttentionStageInputs, AttentionStageOutputs> = {
  id: LABEL,
  title: 'One attention layer on the reader’s sentence: projections, S = QKᵀ/√d, softmax, O = PV',
  makeInputs: makeAttentionStageInputs,
  reference: referenceStage,
  run: (gpu, p, x, opts = {}) => runStage(gpu, p, x, opts),
  tolerance: 1e-4,
};

/** Bytes of S and P: the buffers naive attention bound (its records), or the CPU reference's arrays. */
export interface ScoreMemory {
  /** The scores buffer naive attention's scores kernel wrote: (rows, sk) f32. */
  S: number;
  /** The probabilities buffer its softmax wrote. */
  P: number;
  source: 'records' | 'cpu-arrays';
}

/**
 * What the naive program really allocated for S and P, read from the records of what ran (one buffer per
 * name, however many dispatches bound it); without records (the CPU backend), the bytes of the float64 S and
 * P arrays the reference materialised.
 */
export function scoreMemory(run: {
  dispatches: readonly DispatchRecord[];
  outputs: Pick<AttentionStageOutputs, 'S' | 'P'>;
}): ScoreMemory {
  const bytes = (kernel: string, name: string) => {
    const seen = new Map<string, number>();
    for (const d of run.dispatches)
      if (d.label === kernel) for (const b of d.bindings) if (b.name === name) seen.set(b.label, b.bytes);
    return [...seen.values()].reduce((sum, n) => sum + n, 0);
  };
  if (run.dispatches.length === 0)
    return { S: run.outputs.S.byteLength, P: run.outputs.P.byteLength, source: 'cpu-arrays' };
  return {
    S: bytes('naiveAttention.scores', 'S'),
    P: bytes('naiveAttention.softmax', 'P'),
    source: 'records',
  };
}

/**
 * The largest storage buffer a traced run, the decode stepper and a cost sweep over `costLengths` allocate,
 * in bytes (what must fit in one binding): the sweep's longest K/V cache (N, h_k, d), W_Q (h·d, h·d), S and P
 * (h, L, L), the sentence's x, q and O (L, h·d), or naive attention's trace; the rest is smaller.
 */
export function largestBinding(p: AttentionStageParams, costLengths: readonly number[]): number {
  const L = stageTokens(p.text).length;
  const D = modelWidth(p);
  return Math.max(
    storageBytes(Math.max(0, ...costLengths) * p.hk * p.d * 4),
    storageBytes(D * D * 4),
    storageBytes(p.h * L * L * 4),
    storageBytes(L * D * 4),
    storageBytes(traceWords(naiveSlices(attnShape(p, L, L), L).traceCapacity) * 4),
  );
}
