// flashAttention: the FlashAttention-2 forward on WebGPU (Q tile in workgroup memory, K/V tiles
// streamed, online softmax), with GQA and bottom-right causal masking. The backward pass is left out.

import type { Gpu } from '../../gpu/device';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { flashAttentionTiled, visibleKvTiles } from '../../reference/attention';
import { readTrace, traceBuffer } from '../../trace/events';
import {
  ATTENTION_TENSORS,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  chooseFlashTiles,
  flashPrelude,
  flashWorkgroupSize,
  foldGrid,
  makeAttentionInputs,
  validateAttention,
  workgroupBudget,
} from './common';
import type { Program, RunOptions, RunResult } from '../program';

export interface FlashAttentionParams extends AttentionParams {
  /** Requested Q tile rows; shrunk if the tiles would not fit 16 KiB of workgroup memory. */
  Br: number;
  /** Requested K/V tile rows; shrunk likewise. */
  Bc: number;
}

/** The tiles the GPU kernel will use for these params (after the workgroup-memory check). */
export function flashTilesFor(gpu: Gpu, p: FlashAttentionParams) {
  return chooseFlashTiles('flashAttention', p.d, p.Br, p.Bc, workgroupBudget(gpu));
}

/** Trace events per Q tile: Q load, skip, 5 per visited tile, normalise, O and lse stores. */
function traceCapacity(p: FlashAttentionParams, Br: number, Bc: number): number {
  const Tr = Math.ceil(p.sq / Br);
  return p.b * p.h * Tr * (5 + 5 * Math.ceil(p.sk / Bc));
}

export async function flashAttentionGpu(
  gpu: Gpu,
  p: FlashAttentionParams,
  x: AttentionInputs,
  opts: RunOptions = {},
): Promise<RunResult<AttentionOutputs> & { Br: number; Bc: number }> {
  const scale = validateAttention('flashAttention', p, x);
  const { Br, Bc } = flashTilesFor(gpu, p);
  const wg = flashWorkgroupSize(Br, p.d);
  const Tr = Math.ceil(p.sq / Br);
  const [nx, ny] = foldGrid(gpu, Tr * p.h * p.b);
  const scope = new BufferScope(gpu, 'flashAttention');
  try {
    const k = await kernel(gpu, {
      label: 'flashAttention.forward',
      sources: ['common/trace.wgsl', 'attention/flashTile.wgsl', 'attention/flashAttention.wgsl'],
      prelude: flashPrelude(Br, Bc, p.d, wg),
      constants: { TRACE: opts.trace ? 1 : 0 },
    });
    const o = scope.storage('out', p.b * p.sq * p.h * p.d * 4);
    const lse = scope.storage('lse', p.b * p.h * p.sq * 4);
    const trace = traceBuffer(scope, opts.trace ? traceCapacity(p, Br, Bc) : 1);
    const params = scope.uniform('params', [
      ['u32', p.b],
      ['u32', p.sq],
      ['u32', p.sk],
      ['u32', p.h],
      ['u32', p.hk],
      ['u32', p.causal ? 1 : 0],
      ['f32', scale],
      ['f32', Number.POSITIVE_INFINITY],
      ['u32', Tr],
      ['u32', nx],
    ]);
    const bindings = [
      params,
      scope.upload('q', x.q),
      scope.upload('k', x.k),
      scope.upload('v', x.v),
      o,
      lse,
      trace,
    ];
    const { gpuMs } = await runDispatches(
      gpu,
      'flashAttention',
      [{ kernel: k, bindings, workgroups: [nx, ny] }],
      { time: opts.time },
    );
    return {
      outputs: {
        out: await readF32(gpu, o, p.b * p.sq * p.h * p.d),
        lse: await readF32(gpu, lse, p.b * p.h * p.sq),
      },
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, trace, ATTENTION_TENSORS) : null,
      Br,
      Bc,
    };
  } finally {
    scope.release();
  }
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
  makeInputs: (p, seed) => makeAttentionInputs(p, seed),
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
  async run(gpu, p, x, opts = {}) {
    const { outputs, gpuMs, trace } = await flashAttentionGpu(gpu, p, x, opts);
    return { outputs, gpuMs, trace };
  },
  tolerance: 1e-4,
};
