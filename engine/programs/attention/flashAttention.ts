// flashAttention: the FlashAttention-2 forward on WebGPU (Q tile in workgroup memory, K/V tiles
// streamed, online softmax), with GQA and bottom-right causal masking. The backward pass is left out.

import type { Gpu } from '../../gpu/device';
import { gridFor } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import { flashAttentionTiled, visibleKvTiles } from '../../reference/attention';
import {
  type AttentionBuffers,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  attentionUniformValues,
  checkDispatch,
  chooseFlashTiles,
  flashTileKernel,
  forwardGpu,
  makeAttentionInputs,
  validateAttention,
  workgroupBudget,
} from './common';
import type { Program, RunOptions, RunResult } from '../program';

export interface FlashAttentionParams extends AttentionParams {
  /** Requested Q tile rows; shrunk until the tiles fit the device's workgroup memory (workgroupBudget). */
  Br: number;
  /** Requested K/V tile rows; shrunk likewise. */
  Bc: number;
}

/** The tiles the GPU kernel will use for these params (after the workgroup-memory check). */
export function flashTilesFor(gpu: Gpu, p: FlashAttentionParams) {
  return chooseFlashTiles('flashAttention', p.d, p.Br, p.Bc, workgroupBudget(gpu));
}

/** Trace events per Q tile: Q load, skip, 5 per visited tile, normalise, O and lse stores. */
export function flashTraceCapacity(p: FlashAttentionParams, Br: number, Bc: number): number {
  const Tr = Math.ceil(p.sq / Br);
  return p.b * p.h * Tr * (5 + 5 * Math.ceil(p.sk / Bc));
}

export function flashAttentionKernel(gpu: Gpu, d: number, Br: number, Bc: number, trace = false) {
  const files = ['flashTile.wgsl', 'flashAttention.wgsl'];
  return flashTileKernel(gpu, 'flashAttention.forward', files, d, { Br, Bc }, trace);
}

/** One dispatch of the forward kernel on given buffers: a workgroup per (Q tile, head, batch). */
export async function flashAttentionDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashAttentionParams,
  b: AttentionBuffers,
  trace = false,
): Promise<Dispatch & { params: Uniform; Br: number; Bc: number }> {
  const scale = checkDispatch('flashAttention', p, b);
  const { Br, Bc } = flashTilesFor(gpu, p);
  const tr = Math.ceil(p.sq / Br);
  const grid = gridFor(gpu, 'flashAttention.forward', tr * p.h * p.b);
  const k = await flashAttentionKernel(gpu, p.d, Br, Bc, trace);
  const params = uniformFor(scope, k, attentionUniformValues(p, scale, { count: grid.count, tr }));
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: grid.workgroups, params, Br, Bc };
}

export async function flashAttentionGpu(
  gpu: Gpu,
  p: FlashAttentionParams,
  x: AttentionInputs,
  opts: RunOptions = {},
): Promise<RunResult<AttentionOutputs> & { Br: number; Bc: number }> {
  validateAttention('flashAttention', p, x);
  const { Br, Bc } = flashTilesFor(gpu, p);
  const traceEvents = flashTraceCapacity(p, Br, Bc);
  const run = await forwardGpu(gpu, 'flashAttention', p, x, { ...opts, traceEvents }, async (scope, b) => ({
    dispatches: [await flashAttentionDispatch(gpu, scope, p, b, opts.trace)],
  }));
  return { ...run, Br, Bc };
}

/** K/V tiles skipped by causal masking over the whole problem (the trace's skip events sum to this). */
export function skippedKvTiles(p: AttentionParams, Br: number, Bc: number): number {
  const Tr = Math.ceil(p.sq / Br);
  const Tc = Math.ceil(p.sk / Bc);
  let skipped = 0;
  for (let t = 0; t < Tr; t++)
    skipped += Tc - visibleKvTiles(Math.min(p.sq, (t + 1) * Br) - 1, p.sq, p.sk, Bc, p.causal);
  return skipped * p.b * p.h;
}

export const flashAttentionProgram: Program<FlashAttentionParams, AttentionInputs, AttentionOutputs> = {
  id: 'flashAttention',
  title: 'FlashAttention-2 forward (tiled, online softmax)',
  makeInputs: makeAttentionInputs,
  reference(p, x) {
    return flashAttentionTiled(
      x.q,
      x.k,
      x.v,
      p,
      p.Br,
      p.Bc,
      p.causal,
      validateAttention('flashAttention', p, x),
    );
  },
  run: (gpu, p, x, opts) => flashAttentionGpu(gpu, p, x, opts),
  tolerance: 1e-4,
};
