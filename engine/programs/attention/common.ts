// Shared pieces of the attention programs: params and inputs, validation, grid folding, the tile
// chooser that keeps FlashAttention within the workgroup-memory budget, and the WGSL prelude.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type AttnShape, checkShape, resolveScale } from '../../reference/attention';
import { Rng } from '../../util/rng';
import type { Host } from '../program';

export interface AttentionParams extends AttnShape {
  causal: boolean;
  /** Softmax scale; absent (or within 1e-6 of it) means exactly 1/sqrt(d). */
  scale?: number;
}
export interface AttentionInputs {
  q: Float32Array; // (b, sq, h, d)
  k: Float32Array; // (b, sk, h_k, d)
  v: Float32Array; // (b, sk, h_k, d)
}
export type AttentionOutputs = {
  out: Host; // (b, sq, h, d)
  lse: Host; // (b, h, sq)
};

/** Trace tensor table shared by the attention kernels (index = tensor id in the WGSL). */
export const ATTENTION_TENSORS = ['q', 'k', 'v', 'o', 'lse', '', 'S', 'P', 'partials'] as const;

/** The portable workgroup-memory budget (the WebGPU default limit). */
export const WG_MEMORY_BUDGET = 16384;

export function makeAttentionInputs(p: AttnShape, seed: number): AttentionInputs {
  const rng = new Rng(seed);
  return {
    q: rng.normals(p.b * p.sq * p.h * p.d),
    k: rng.normals(p.b * p.sk * p.hk * p.d),
    v: rng.normals(p.b * p.sk * p.hk * p.d),
  };
}

/** Throws a clear EngineError (before anything is allocated) when params and inputs disagree. */
export function validateAttention(label: string, p: AttentionParams, x: AttentionInputs): number {
  try {
    checkShape(p, { q: x.q.length, k: x.k.length, v: x.v.length });
  } catch (err) {
    throw new EngineError(label, err instanceof Error ? err.message : String(err));
  }
  const scale = resolveScale(p.d, p.scale);
  if (!Number.isFinite(scale)) throw new EngineError(label, `softmax scale ${p.scale} is not finite`);
  return scale;
}

/** A 1-D grid of `total` workgroups folded into (x, y) within the per-dimension limit. */
export function foldGrid(gpu: Gpu, total: number): [number, number] {
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  const nx = Math.max(1, Math.min(total, max));
  const ny = Math.ceil(total / nx);
  if (ny > max) throw new EngineError('attention', `${total} workgroups exceed a ${max}×${max} grid`);
  return [nx, ny];
}

/** Workgroup bytes of attention/flashTile.wgsl: Qs, Ks (rows padded by 1), Vs, Ss (padded), m, l, alpha. */
export function flashTileBytes(d: number, Br: number, Bc: number): number {
  return 4 * (d * (Br + 2 * Bc) + Bc + Br * (Bc + 1) + 3 * Br) + 16;
}

/**
 * The tiles FlashAttention actually uses: the requested Br×Bc, halved (larger side first) until
 * Qs, Ks, Vs, S and the row statistics fit the budget. With d = 64 and 16 KiB, 64×64 and 32×32
 * become 16×16 (13.3 KiB); d = 128 gives 8×8.
 */
export function chooseFlashTiles(
  label: string,
  d: number,
  Br: number,
  Bc: number,
  budget = WG_MEMORY_BUDGET,
): { Br: number; Bc: number; bytes: number } {
  if (!Number.isInteger(Br) || !Number.isInteger(Bc) || Br < 1 || Bc < 1) {
    throw new EngineError(label, `Br and Bc must be positive integers, got Br=${Br}, Bc=${Bc}`);
  }
  let br = Br;
  let bc = Bc;
  while (flashTileBytes(d, br, bc) > budget) {
    if (br === 1 && bc === 1) {
      throw new EngineError(label, `head dim d=${d} does not fit ${budget} bytes of workgroup memory`);
    }
    if (br >= bc && br > 1) br = Math.ceil(br / 2);
    else bc = Math.ceil(bc / 2);
  }
  return { Br: br, Bc: bc, bytes: flashTileBytes(d, br, bc) };
}

export function workgroupBudget(gpu: Gpu): number {
  return Math.min(WG_MEMORY_BUDGET, gpu.limits.maxComputeWorkgroupStorageSize);
}

/** Invocations for a Br×Bc tile with head dim d: enough to cover O (Br, d), at most 256. */
export function flashWorkgroupSize(Br: number, d: number): number {
  return Math.min(256, Math.max(32, Math.ceil((Br * d) / 32) * 32));
}

export function flashPrelude(Br: number, Bc: number, d: number, wg: number): string {
  const opt = Math.ceil((Br * d) / wg);
  return `const BR: u32 = ${Br}u;\nconst BC: u32 = ${Bc}u;\nconst D: u32 = ${d}u;\nconst WG: u32 = ${wg}u;\nconst OPT: u32 = ${opt}u;\n`;
}
