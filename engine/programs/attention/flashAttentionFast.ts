// flashAttentionFast: the FlashAttention-2 forward register-tiled like an SGEMM, for speed (f32): each
// invocation holds an RM × RN block of S and an RM × d/TC block of O, K and V tiles are staged in padded
// workgroup memory, the softmax runs on exp2 with log2 e folded into the scale, and row statistics meet on
// subgroups where the device's subgroup size allows (workgroup memory otherwise). Same params, inputs and
// outputs (O, lse) as flashAttentionProgram, bottom-right causal alignment included; not traced (the
// stages animate the teaching kernel). d must be a multiple of 16, at most 128.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import type { Dispatch } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import type { RunOptions, RunResult } from '../program';
import {
  type AttentionBuffers,
  type AttentionInputs,
  type AttentionOutputs,
  type AttentionParams,
  attentionKernel,
  attentionUniformValues,
  checkDispatch,
  forwardGpu,
  softmaxProgram,
  validateAttention,
} from './common';

const LABEL = 'flashAttentionFast';

export interface FlashAttentionFastParams extends AttentionParams {
  /** Q tile rows asked for (default 64); shrunk with Bc until the tiles fit the workgroup memory. */
  Br?: number;
  /** K/V tile rows asked for (default 32), a multiple of 4 and of tc. */
  Bc?: number;
  /** Rows of S and O per invocation (default 4; 2 for d = 128). */
  rm?: number;
  /** Invocations sharing a row (a power of two, default 8, or 4 where d is not a multiple of 32). */
  tc?: number;
  /** 'shared' keeps the row reductions in workgroup memory even where subgroups could do them (tests). */
  form?: 'auto' | 'shared';
}

/** What the kernel runs with: the tiles after the memory check, its workgroup and how rows reduce. */
export interface FastTiles {
  Br: number;
  Bc: number;
  rm: number;
  tc: number;
  /** Invocations per workgroup: (Br / rm) · tc. */
  wg: number;
  /** Workgroup memory bytes of the tiles. */
  bytes: number;
  /** Row reductions on subgroup shuffles (else in workgroup memory). */
  subgroups: boolean;
}

/** The device facts the tile choice reads (a Gpu's limits and subgroup size). */
export interface FastLimits {
  budget: number;
  maxInvocations: number;
  subgroupSize?: number;
}

/** Workgroup bytes of flashAttentionFast.wgsl: Qs (Br, d+4), Ks (Bc, d+4), Vs (Bc, d), Ps (Br, Bc+4). */
export function fastTileBytes(d: number, Br: number, Bc: number): number {
  return 4 * (Br * (d + 4) + Bc * (d + 4) + Bc * d + Br * (Bc + 4));
}

const isPow2 = (n: number) => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

/** The defaults for head dim d: 64 × 32 tiles, 4 rows (2 at d > 64) and 8 lanes (4 at d = 16, 48, …) a row. */
export function fastDefaults(d: number) {
  return { Br: 64, Bc: 32, rm: d > 64 ? 2 : 4, tc: d % 32 === 0 ? 8 : 4 };
}

/**
 * The tiles for head dim d: the request (defaults where absent) checked, then Bc halved (while it stays a
 * multiple of 4 and tc) and after it Br (down to rm) until the tiles fit `budget` bytes. Refuses d other
 * than 16, 32, 48, …, 128, shapes the kernel cannot hold, and workgroups larger than the device allows.
 */
export function chooseFastTiles(
  d: number,
  req: Pick<FlashAttentionFastParams, 'Br' | 'Bc' | 'rm' | 'tc' | 'form'>,
  lim: FastLimits,
): FastTiles {
  if (!Number.isInteger(d) || d < 16 || d > 128 || d % 16 !== 0)
    throw new EngineError(LABEL, `head dim d=${d} is not supported (a multiple of 16, at most 128)`);
  const def = fastDefaults(d);
  const { rm = def.rm, tc = def.tc } = req;
  let { Br = def.Br, Bc = def.Bc } = req;
  const step = Math.max(4, tc);
  if (!isPow2(tc) || tc > 32 || d % (4 * tc) !== 0)
    throw new EngineError(LABEL, `tc=${tc} must be a power of two ≤ 32 with d=${d} a multiple of 4·tc`);
  if (!Number.isInteger(rm) || rm < 1 || rm > 8)
    throw new EngineError(LABEL, `rm=${rm} must be an integer in [1, 8]`);
  if (!Number.isInteger(Br) || Br < rm || Br % rm !== 0)
    throw new EngineError(LABEL, `Br=${Br} must be a positive multiple of rm=${rm}`);
  if (!Number.isInteger(Bc) || Bc < step || Bc % step !== 0)
    throw new EngineError(LABEL, `Bc=${Bc} must be a positive multiple of ${step} (4 and tc=${tc})`);
  while (fastTileBytes(d, Br, Bc) > lim.budget) {
    if (Bc / 2 >= step && (Bc / 2) % step === 0) Bc /= 2;
    else if (Br / 2 >= rm && (Br / 2) % rm === 0) Br /= 2;
    else throw new EngineError(LABEL, `d=${d} tiles do not fit ${lim.budget} bytes of workgroup memory`);
  }
  const wg = (Br / rm) * tc;
  if (wg > lim.maxInvocations)
    throw new EngineError(
      LABEL,
      `${wg} invocations (Br=${Br}, rm=${rm}, tc=${tc}) exceed ${lim.maxInvocations}`,
    );
  const sg = lim.subgroupSize;
  const subgroups = req.form !== 'shared' && sg !== undefined && sg % tc === 0 && wg % sg === 0;
  return { Br, Bc, rm, tc, wg, bytes: fastTileBytes(d, Br, Bc), subgroups };
}

/** The tiles this device runs `p` with. */
export function fastTilesFor(gpu: Gpu, p: FlashAttentionFastParams): FastTiles {
  return chooseFastTiles(p.d, p, {
    budget: gpu.limits.maxComputeWorkgroupStorageSize,
    maxInvocations: gpu.limits.maxComputeInvocationsPerWorkgroup,
    subgroupSize: gpu.features.subgroups ? gpu.features.subgroupSize : undefined,
  });
}

export function flashAttentionFastKernel(gpu: Gpu, d: number, t: FastTiles) {
  const c = { D: d, BR: t.Br, BC: t.Bc, RM: t.rm, RN: t.Bc / t.tc, TC: t.tc, DV: d / (4 * t.tc), WG: t.wg };
  const prelude = Object.entries(c)
    .map(([name, n]) => `const ${name}: u32 = ${n}u;\n`)
    .join('');
  const form = t.subgroups ? 'Sg' : 'Shared';
  return attentionKernel(
    gpu,
    `${LABEL}.forward${form}`,
    ['flashAttentionFast.wgsl', `flashAttentionFast${form}.wgsl`],
    {
      prelude,
      enable: t.subgroups ? ['subgroups'] : [],
    },
  );
}

/** One dispatch of the kernel on given buffers: a workgroup per (Q tile, head, batch). */
export async function flashAttentionFastDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: FlashAttentionFastParams,
  b: AttentionBuffers,
): Promise<Dispatch & { params: Uniform; tiles: FastTiles }> {
  const scale = checkDispatch(LABEL, p, b);
  const tiles = fastTilesFor(gpu, p);
  const tr = Math.ceil(p.sq / tiles.Br);
  const grid = gridFor(gpu, `${LABEL}.forward`, tr * p.h * p.b);
  const k = await flashAttentionFastKernel(gpu, p.d, tiles);
  const params = uniformFor(scope, k, attentionUniformValues(p, scale, { count: grid.count, tr }));
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: grid.workgroups, params, tiles };
}

export async function flashAttentionFastGpu(
  gpu: Gpu,
  p: FlashAttentionFastParams,
  x: AttentionInputs,
  opts: RunOptions = {},
): Promise<RunResult<AttentionOutputs> & Omit<FastTiles, 'subgroups'> & { subgroups: number }> {
  validateAttention(LABEL, p, x);
  if (opts.trace) throw new EngineError(LABEL, 'the fast kernel is not traced (flashAttention is)');
  const tiles = fastTilesFor(gpu, p);
  const run = await forwardGpu(gpu, LABEL, p, x, { ...opts, traceEvents: 0 }, async (scope, b) => ({
    dispatches: [await flashAttentionFastDispatch(gpu, scope, p, b)],
  }));
  // Numbers only beside the outputs, so the benchmark's record lists them as the run's choices.
  return { ...run, ...tiles, subgroups: tiles.subgroups ? 1 : 0 };
}

/**
 * The tile variants for one H200 run (48 KiB of workgroup memory, subgroups of 32), as params for
 * flashAttentionFastProgram: 64×32 tiles, with register blocks of S and O per invocation from small to
 * large: 2 rows (256 invocations: the most warps to hide latency), 4 rows (128, the default), 8 rows (64:
 * an 8×4 block of S, the fewest workgroup-memory loads per FMA, the most registers) and 4 rows of 4 lanes
 * (64: a 4×8 block of S, 4×16 of O). Duplicates (d not a multiple of 32 has 4 lanes anyway) are dropped;
 * each shrinks to a smaller device's memory where it must (fastTilesFor).
 */
export type FastVariant = FlashAttentionFastParams & { Br: number; Bc: number; rm: number; tc: number };

export function flashAttentionFastVariants(shape: AttentionParams): FastVariant[] {
  const { tc } = fastDefaults(shape.d);
  const asks = [
    { rm: 4, tc },
    { rm: 8, tc },
    { rm: 2, tc },
    { rm: 4, tc: 4 },
  ];
  return asks
    .filter((a, i) => asks.findIndex((b) => b.rm === a.rm && b.tc === a.tc) === i)
    .map((a) => ({ ...shape, Br: 64, Bc: 32, ...a }));
}

export const flashAttentionFastProgram = softmaxProgram<FlashAttentionFastParams>({
  id: LABEL,
  title: 'FlashAttention-2 forward, register-tiled (f32)',
  run: (gpu, p, x, opts) => flashAttentionFastGpu(gpu, p, x, opts),
  tolerance: 1e-4,
});
