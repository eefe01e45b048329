// What the `attention` stage's batched program (attention.ts) and its decode stepper (attentionDecode.ts)
// share: the parameters and their limits, the reader's sentence as inputs (tokens, a seeded embedding and
// seeded projections W_Q, W_K, W_V), and naive attention with each head's S and P copied out of the
// family's one scratch slice (the family reuses one (rows, sk) slice for every head) into (h, …) arrays.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import type { Dispatch } from '../gpu/kernel';
import type { BufferScope } from '../gpu/tensor';
import { tokenHash, tokenize, embedTokens, MAX_TOKENS } from '../util/tokens';
import { Rng } from '../util/rng';
import type { AttentionBuffers, AttentionParams } from '../programs/attention/common';
import { naiveAttentionDispatch } from '../programs/attention/naiveAttention';
import { stridedDispatch } from '../programs/layers/strided';
import { checkLengths, checkRanges } from './common';

export const LABEL = 'attentionStage';

export interface AttentionStageParams {
  /** The reader's sentence; its tokens are the sequence (L = the number of tokens). */
  text: string;
  /** Head dim. */
  d: number;
  /** Query heads. */
  h: number;
  /** K/V heads (GQA): query head i reads K/V head ⌊i / (h / h_k)⌋; h_k divides h. */
  hk: number;
  /** Causal mask: query i sees keys j ≤ i. */
  causal: boolean;
}

/** The sequence and the layer: model width D = h·d; W in nn.Linear's (out, in) layout. */
export interface AttentionStageInputs {
  tokens: string[]; // (L,)
  x: Float32Array; // (L, D) the tokens' seeded embedding
  WQ: Float32Array; // (h·d, D)
  WK: Float32Array; // (h_k·d, D)
  WV: Float32Array; // (h_k·d, D)
}

/** Ranges the stage accepts; L counts the tokens of the text. */
export const ATTENTION_STAGE_LIMITS = {
  L: [1, MAX_TOKENS],
  d: [1, 64],
  h: [1, 8],
  hk: [1, 8],
} as const;

/** The tokens of the stage's text (at most L's upper limit). */
export const stageTokens = (text: string): string[] => tokenize(text, ATTENTION_STAGE_LIMITS.L[1]);

/** Throws an EngineError naming the first parameter outside the stage's ranges. */
export function validateAttentionStageParams(p: AttentionStageParams): void {
  const bad = (detail: string) => {
    throw new EngineError(LABEL, detail);
  };
  if (typeof p.text !== 'string') bad(`text must be a string (got ${typeof p.text})`);
  const L = stageTokens(p.text).length;
  if (L < 1) bad(`text must hold at least one word or mark (got ${JSON.stringify(p.text)})`);
  checkRanges(LABEL, { L: ATTENTION_STAGE_LIMITS.L }, { L });
  validateHeads(p);
  if (typeof p.causal !== 'boolean') bad(`causal must be true or false (got ${JSON.stringify(p.causal)})`);
}

/** Throws an EngineError naming d, h or hk when outside the stage's ranges, or when hk does not divide h. */
export function validateHeads(p: Pick<AttentionStageParams, 'd' | 'h' | 'hk'>): void {
  const { d, h, hk } = ATTENTION_STAGE_LIMITS;
  checkRanges(LABEL, { d, h, hk }, p);
  if (p.h % p.hk !== 0) throw new EngineError(LABEL, `hk must divide h (got h=${p.h}, hk=${p.hk})`);
}

/** Model width D = h·d. */
export const modelWidth = (p: Pick<AttentionStageParams, 'h' | 'd'>) => p.h * p.d;

/** The attention family's shape for sq queries against sk keys of the stage's heads. */
export const attnShape = (p: AttentionStageParams, sq: number, sk: number, causal = p.causal) =>
  ({ b: 1, sq, sk, h: p.h, hk: p.hk, d: p.d, causal }) satisfies AttentionParams;

/**
 * The tokens, their embedding (embedTokens, D = h·d) and W_Q, W_K, W_V ~ N(0, 1), each from its own seeded
 * stream (so changing h_k leaves W_Q as it was): with unit-norm embedding rows, q, k and v entries and the
 * scores qᵀk/√d all have variance about 1.
 */
export function makeAttentionStageInputs(p: AttentionStageParams, seed: number): AttentionStageInputs {
  validateAttentionStageParams(p);
  const tokens = stageTokens(p.text);
  const D = modelWidth(p);
  const W = (name: string, rows: number) => new Rng(tokenHash(name, seed)).normals(rows * D);
  return {
    tokens,
    x: embedTokens(tokens, D, seed),
    WQ: W('W_Q', p.h * p.d),
    WK: W('W_K', p.hk * p.d),
    WV: W('W_V', p.hk * p.d),
  };
}

/** Throws an EngineError unless the inputs have the shapes of the params (L from the inputs' tokens). */
export function checkAttentionStageInputs(p: AttentionStageParams, x: AttentionStageInputs): number {
  const L = x.tokens.length;
  const D = modelWidth(p);
  if (L !== stageTokens(p.text).length)
    throw new EngineError(LABEL, `inputs hold ${L} tokens, the text has ${stageTokens(p.text).length}`);
  checkLengths(LABEL, [
    ['x', x.x, L * D],
    ['W_Q', x.WQ, p.h * p.d * D],
    ['W_K', x.WK, p.hk * p.d * D],
    ['W_V', x.WV, p.hk * p.d * D],
  ]);
  return L;
}

/** Where each head's slices go: head hh's (sq, sk) block starts at hh·headStride, rows rowStride apart. */
export interface HeadCopies {
  S?: GPUBuffer; // (h, …) scores
  P: GPUBuffer; // (h, …) probabilities
  headStride: number;
  rowStride: number;
}

/**
 * Naive attention (scores → softmax → PV, one slice per head: all sq rows) on given buffers, with each
 * head's S (when asked) and P copied into `to` right after its softmax, before the next head reuses the
 * family's scratch slice. Returns the dispatches in order.
 */
export async function naiveHeadsDispatch(
  gpu: Gpu,
  scope: BufferScope,
  a: AttentionParams,
  b: AttentionBuffers,
  to: HeadCopies,
  trace = false,
): Promise<Dispatch[]> {
  const naive = await naiveAttentionDispatch(gpu, scope, a, b, { sliceRows: a.sq, trace });
  const out: Dispatch[] = [];
  for (let hh = 0; hh < a.h; hh++) {
    const [scores, softmax, pv] = naive.slice(3 * hh, 3 * hh + 3);
    out.push(scores, softmax);
    const copy = async (from: Dispatch, name: 'S' | 'P', dst: GPUBuffer) => {
      const src = (from.bindings as Readonly<Record<string, GPUBuffer>>)[name];
      const map = {
        shape: [1, a.sq, a.sk] as const,
        src: { strides: [0, a.sk, 1] as const },
        dst: { offset: hh * to.headStride, strides: [0, to.rowStride, 1] as const },
      };
      out.push(await stridedDispatch(gpu, scope, map, { src, dst }));
    };
    if (to.S) await copy(scores, 'S', to.S);
    await copy(softmax, 'P', to.P);
    out.push(pv);
  }
  return out;
}
