// flashAttentionFast: the FlashAttention-2 forward register-tiled like an SGEMM, for speed (f32): each
// invocation holds an RM × RN block of S and an RM × d/TC block of O, K and V tiles are staged in padded
// workgroup memory, the softmax runs on exp2 with log2 e folded into the scale, and row statistics meet on
// subgroups where the device's subgroup size allows (workgroup memory otherwise). Two forms trade
// workgroup memory for other paths, so more workgroups fit an SM: Q read from storage (through L1) instead
// of staged, and P passed between the lanes of a row on subgroup shuffles instead of through workgroup
// memory. Same params, inputs and
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
  /** Q staged in workgroup memory ('shared', the default) or read from storage by every use ('storage'). */
  qIn?: 'shared' | 'storage';
  /**
   * P through workgroup memory ('shared', the default) or on subgroup shuffles ('shuffle': only where the
   * row reductions run on subgroups; elsewhere it falls back to 'shared', as FastTiles.pShuffle says).
   */
  pIn?: 'shared' | 'shuffle';
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
  /** Q read from storage (else staged in workgroup memory). */
  qStorage: boolean;
  /** P passed on subgroup shuffles (else through workgroup memory). */
  pShuffle: boolean;
}

/** The device facts the tile choice reads (a Gpu's limits and subgroup size). */
export interface FastLimits {
  budget: number;
  maxInvocations: number;
  subgroupSize?: number;
}

/**
 * Workgroup bytes of flashAttentionFast.wgsl: Ks (Bc, d+4), Vs (Bc, d), and unless Q is read from storage
 * Qs (Br, d+4), Ps (Br, Bc+4) unless P goes on shuffles (then one vec4).
 */
export function fastTileBytes(
  d: number,
  Br: number,
  Bc: number,
  forms: { qStorage?: boolean; pShuffle?: boolean } = {},
): number {
  const qs = forms.qStorage ? 0 : Br * (d + 4);
  const ps = forms.pShuffle ? 4 : Br * (Bc + 4); // the shuffle form's Ps is one vec4, named, never used
  return 4 * (qs + Bc * (d + 4) + Bc * d + ps);
}

const isPow2 = (n: number) => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

/** The defaults for head dim d: 64 × 32 tiles, 4 rows (2 at d > 64) and 8 lanes (4 at d = 16, 48, …) a row. */
export function fastDefaults(d: number) {
  return { Br: 64, Bc: 32, rm: d > 64 ? 2 : 4, tc: d % 32 === 0 ? 8 : 4 };
}

/**
 * The tiles for head dim d: the request (defaults where absent) checked, then Bc halved (while it stays a
 * multiple of 4 and tc) and after it Br (down to rm) until the tiles fit `budget` bytes, and Br until the
 * workgroup fits the device's invocations. Refuses d other
 * than 16, 32, 48, …, 128, shapes the kernel cannot hold, and workgroups larger than the device allows.
 */
export function chooseFastTiles(
  d: number,
  req: Pick<FlashAttentionFastParams, 'Br' | 'Bc' | 'rm' | 'tc' | 'form' | 'qIn' | 'pIn'>,
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
  const { qIn = 'shared', pIn = 'shared' } = req;
  if (qIn !== 'shared' && qIn !== 'storage')
    throw new EngineError(LABEL, `qIn=${String(qIn)} must be 'shared' or 'storage'`);
  if (pIn !== 'shared' && pIn !== 'shuffle')
    throw new EngineError(LABEL, `pIn=${String(pIn)} must be 'shared' or 'shuffle'`);
  const sg = lim.subgroupSize;
  // Whether rows reduce on subgroups depends on the workgroup, so P's form (which needs them) is settled
  // with the tiles: bytes() is the memory of the forms the current tiles would run.
  const subgroupsAt = (br: number) =>
    req.form !== 'shared' && sg !== undefined && sg % tc === 0 && ((br / rm) * tc) % sg === 0;
  const forms = (br: number) => ({
    qStorage: qIn === 'storage',
    pShuffle: pIn === 'shuffle' && subgroupsAt(br),
  });
  while (fastTileBytes(d, Br, Bc, forms(Br)) > lim.budget) {
    if (Bc / 2 >= step && (Bc / 2) % step === 0) Bc /= 2;
    else if (Br / 2 >= rm && (Br / 2) % rm === 0) Br /= 2;
    else throw new EngineError(LABEL, `d=${d} tiles do not fit ${lim.budget} bytes of workgroup memory`);
  }
  // A workgroup larger than the device allows gives up rows too (the memory only shrinks with them).
  while ((Br / rm) * tc > lim.maxInvocations && Br / 2 >= rm && (Br / 2) % rm === 0) Br /= 2;
  const wg = (Br / rm) * tc;
  if (wg > lim.maxInvocations)
    throw new EngineError(
      LABEL,
      `${wg} invocations (Br=${Br}, rm=${rm}, tc=${tc}) exceed ${lim.maxInvocations}`,
    );
  const f = forms(Br);
  return { Br, Bc, rm, tc, wg, bytes: fastTileBytes(d, Br, Bc, f), subgroups: subgroupsAt(Br), ...f };
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
  const qf = t.qStorage ? 'QStorage' : 'QShared';
  const pf = t.pShuffle ? 'PShuffle' : 'PShared';
  return attentionKernel(
    gpu,
    `${LABEL}.forward${form}.${qf}.${pf}`,
    [
      'flashAttentionFast.wgsl',
      `flashAttentionFast${form}.wgsl`,
      `flashAttentionFast${qf}.wgsl`,
      `flashAttentionFast${pf}.wgsl`,
    ],
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
): Promise<
  RunResult<AttentionOutputs> &
    Omit<FastTiles, 'subgroups' | 'qStorage' | 'pShuffle'> & {
      subgroups: number;
      qStorage: number;
      pShuffle: number;
    }
> {
  validateAttention(LABEL, p, x);
  if (opts.trace) throw new EngineError(LABEL, 'the fast kernel is not traced (flashAttention is)');
  const tiles = fastTilesFor(gpu, p);
  const run = await forwardGpu(gpu, LABEL, p, x, { ...opts, traceEvents: 0 }, async (scope, b) => ({
    dispatches: [await flashAttentionFastDispatch(gpu, scope, p, b)],
  }));
  // Numbers only beside the outputs, so the benchmark's record lists them as the run's choices.
  const flag = (b: boolean) => (b ? 1 : 0);
  return {
    ...run,
    ...tiles,
    subgroups: flag(tiles.subgroups),
    qStorage: flag(tiles.qStorage),
    pShuffle: flag(tiles.pShuffle),
  };
}

/**
 * The tile variants for one H200 run (48 KiB of workgroup memory, subgroups of 32), as params for
 * flashAttentionFastProgram. Staged (Q and P in workgroup memory, 42.5 KiB at d = 64: one workgroup an SM
 * there, whose 48 KiB is shared by all its workgroups): 64×32 tiles with 4 rows of S and O per
 * invocation (the default) and 2 rows (256 invocations). Unstaged (Q from storage, P on shuffles: 16.5 KiB,
 * two workgroups an SM): 2 rows per invocation on 64×32 and 128×32 tiles with 4 lanes a row (a 2×8 block of
 * S), and 128×64 tiles with the default lanes. Duplicates (d not a multiple of 32 has 4 lanes anyway) are
 * dropped; each shrinks to a smaller device's memory where it must, and P falls back to workgroup memory
 * where the subgroups cannot hold a row (fastTilesFor).
 */
export type FastVariant = FlashAttentionFastParams & { Br: number; Bc: number; rm: number; tc: number };

export function flashAttentionFastVariants(shape: AttentionParams): FastVariant[] {
  const { tc } = fastDefaults(shape.d);
  const unstaged = { qIn: 'storage', pIn: 'shuffle' } as const;
  const asks: FastVariant[] = [
    { ...shape, Br: 64, Bc: 32, rm: 4, tc },
    { ...shape, Br: 64, Bc: 32, rm: 2, tc },
    { ...shape, Br: 64, Bc: 32, rm: 2, tc, ...unstaged },
    { ...shape, Br: 128, Bc: 32, rm: 2, tc: 4, ...unstaged },
    { ...shape, Br: 128, Bc: 64, rm: 2, tc, ...unstaged },
  ];
  const key = (v: FastVariant) => JSON.stringify(v);
  return asks.filter((a, i) => asks.findIndex((b) => key(b) === key(a)) === i);
}

/** The params a bench report lists for a variant: its tiles and, where not the default, its forms. */
export function fastVariantLabel(v: FastVariant) {
  const { Br, Bc, rm, tc, qIn, pIn } = v;
  return { Br, Bc, rm, tc, ...(qIn ? { qIn } : {}), ...(pIn ? { pIn } : {}) };
}

export const flashAttentionFastProgram = softmaxProgram<FlashAttentionFastParams>({
  id: LABEL,
  title: 'FlashAttention-2 forward, register-tiled (f32)',
  run: (gpu, p, x, opts) => flashAttentionFastGpu(gpu, p, x, opts),
  tolerance: 1e-4,
});
