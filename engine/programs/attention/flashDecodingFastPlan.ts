// flashDecodingFast's plan: the split kernel's shape (tiles or warps) for a device's workgroup memory,
// invocations and subgroup size, checked before any kernel is built (flashDecodingFast.ts builds and runs
// it; the bench asks it whether a shape fits a device).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import type { FlashDecodingParams } from './flashDecoding';

const LABEL = 'flashDecodingFast';

export interface FlashDecodingFastParams extends FlashDecodingParams {
  /** Invocations of the split kernel (a power of two, default 256); halved until its memory fits. */
  wg?: number;
  /** Keys per lane group in a tile (1 … 8, default lpk): a tile is wg·kpt / lpk keys. */
  kpt?: number;
  /**
   * Lanes per key (a power of two, default 4): lanes of a key read its row as lpk·16 contiguous bytes and
   * add their dot products by shuffles. Lowered to d/4 and the subgroup size, 1 without subgroups.
   */
  lpk?: number;
  /** Issue a tile's V loads before the softmax's reductions rather than after them (default true). */
  earlyV?: boolean;
  /**
   * Load the next tile's K while this tile is in its softmax and PV (tiles kernel; default false): K loads
   * are in flight across the tile's barriers, at the price of KPT·CPL more vec4 live in each lane.
   */
  kAhead?: boolean;
  /**
   * Fold the combine into the split pass: the last workgroup of a (KV head, query row) to finish merges
   * its partials (default false). One pass, not two; it rests on an ordering WGSL does not promise
   * (flashDecodingFastFuse.wgsl says which), so it is the benchmark's variant, checked every run.
   */
  fuse?: boolean;
  /**
   * The split kernel (default 'tiles'): 'tiles' walks a split in tiles, the whole workgroup reducing each
   * tile's max and sum; 'warps' lets each subgroup walk its own keys with its own online softmax, no barrier
   * in the key loop, the subgroups merged once at the end (flashDecodingWarps.wgsl; needs one fixed subgroup
   * size; lpk at most d/4 and the subgroup size, kpt at most lpk: a step of a subgroup is kpt·sg / lpk keys).
   */
  kernel?: 'tiles' | 'warps';
}

/** How the split kernel runs on this device. */
export interface DecodingFastPlan {
  wg: number;
  kpt: number;
  lpk: number;
  /** Keys per tile: wg·kpt / lpk. */
  tk: number;
  earlyV: boolean;
  /** The next tile's K loaded during this tile's softmax and PV (tiles kernel only; false for warps). */
  kAhead: boolean;
  /** The combine folded into the split pass. */
  fuse: boolean;
  /** Query heads per KV head. */
  g: number;
  /** Workgroup memory of the split kernel, bytes. */
  bytes: number;
  /** vec4 of the split kernel's scratch (SCR): the tile's probabilities or the subgroups' O, then the slices'. */
  scr: number;
  /** Reductions on subgroups of this size (else in workgroup memory). */
  sg?: number;
  /** The warps split kernel (each subgroup its own softmax); tk is then the keys of one workgroup step. */
  warps: boolean;
}

/** The most query heads one workgroup serves: each holds G vec4 of O in registers. */
const MAX_G = 8;

const isPow2 = (n: number) => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

/** vec4 of the tiles kernel's scratch: the tile's probabilities (tk, G), then the slices' O (NSL, G, d/4). */
const tilesScr = (d: number, g: number, wg: number, tk: number) =>
  Math.max(Math.ceil((tk * g) / 4), (wg / (d / 4)) * g * (d / 4));

/** vec4 of the warps kernel's scratch: the subgroups' O (NW, G, d/4), then the slices' (NSL, G, d/4). */
const warpsScr = (d: number, g: number, wg: number, sg: number) =>
  Math.max(wg / sg, wg / (d / 4)) * g * (d / 4);

/**
 * Workgroup bytes of a split kernel: q (G, d), its scratch, its reductions' values (`red` of the tiles
 * kernel, `wml` of the warps one) and, folded, finish's slices' (m, l) per head and the arrival count.
 */
function splitBytes(d: number, g: number, wg: number, scr: number, red: number, fuse: boolean): number {
  const nsl = wg / (d / 4);
  return 4 * g * d + 16 * scr + red + (fuse ? 8 * nsl * g + 4 : 0);
}

/** The device facts the plan reads. */
export interface DecodingLimits {
  budget: number;
  maxInvocations: number;
  /** One fixed subgroup size, where the adapter has subgroups. */
  subgroupSize?: number;
}

/**
 * The split kernel's shape for `p` on a device: the request (defaults where absent) checked, lpk = 1 where
 * the reductions cannot run on subgroups, then kpt and after it wg halved until its workgroup memory fits
 * `budget`. Refuses d other than 4·2^k up to 4·wg, G over 8, and shapes that cannot fit.
 */
export function planDecodingFast(p: FlashDecodingFastParams, lim: DecodingLimits): DecodingFastPlan {
  const { d } = p;
  const g = p.h / p.hk;
  if (!isPow2(d / 4)) throw new EngineError(LABEL, `head dim d=${d} is not supported (4·2^k: 4, 8, 16, …)`);
  if (!Number.isInteger(g) || g > MAX_G)
    throw new EngineError(LABEL, `${g} query heads per KV head; at most ${MAX_G} (flashDecoding takes more)`);
  const sgOf = (n: number) =>
    p.form !== 'portable' && lim.subgroupSize && n % lim.subgroupSize === 0 ? lim.subgroupSize : undefined;
  let wg = Math.min(p.wg ?? 256, lim.maxInvocations);
  if (!isPow2(wg) || wg < d / 4)
    throw new EngineError(LABEL, `wg=${wg} must be a power of two, at least d/4 = ${d / 4}`);
  const { lpk: ask = 4 } = p;
  let { kpt = ask } = p;
  if (!isPow2(ask)) throw new EngineError(LABEL, `lpk=${ask} must be a power of two`);
  if (!Number.isInteger(kpt) || kpt < 1 || kpt > 8)
    throw new EngineError(LABEL, `kpt=${kpt} must be an integer in [1, 8]`);
  if (p.kernel === 'warps') return planWarps(p, lim, g, { wg, lpk: ask, kpt, fuse: p.fuse ?? false });
  // At most d/4 lanes and a subgroup's (1 without shuffles); kpt shrinks with it, so the tile stays.
  const sg = sgOf(wg);
  const lpk = Math.min(ask, d / 4, sg ?? 1);
  kpt = Math.max(1, Math.round((kpt * lpk) / ask));
  const fuse = p.fuse ?? false;
  const scr = () => tilesScr(d, g, wg, (wg * kpt) / lpk);
  const bytes = () => splitBytes(d, g, wg, scr(), 4 * g * (sg ? wg / sg : wg), fuse);
  // Halving wg keeps it a multiple of the subgroup size, so the reductions stay where they were.
  while (bytes() > lim.budget) {
    if (kpt > 1) kpt -= 1;
    else if (wg / 2 >= Math.max(d / 4, sg ?? 1)) wg /= 2;
    else throw new EngineError(LABEL, `d=${d}, G=${g} does not fit ${lim.budget} bytes of workgroup memory`);
  }
  const earlyV = p.earlyV ?? true;
  const kAhead = p.kAhead ?? false;
  return {
    ...{ wg, kpt, lpk, tk: (wg * kpt) / lpk, g, earlyV, kAhead, fuse, bytes: bytes(), scr: scr() },
    warps: false,
    ...(sg ? { sg } : {}),
  };
}

/** Workgroup bytes of the warps split kernel; its reductions' values are each subgroup's (m, l) per head. */
const warpsBytes = (d: number, g: number, wg: number, sg: number, fuse: boolean) =>
  splitBytes(d, g, wg, warpsScr(d, g, wg, sg), 8 * (wg / sg) * g, fuse);

/**
 * The warps kernel's shape: subgroups of one size dividing wg (else refused), lpk lowered to d/4 and the
 * subgroup size (a key's lanes within a subgroup, and a step's PV lanes reading whole rows), wg halved until
 * the workgroup memory fits.
 */
function planWarps(
  p: FlashDecodingFastParams,
  lim: DecodingLimits,
  g: number,
  ask: { wg: number; lpk: number; kpt: number; fuse: boolean },
): DecodingFastPlan {
  const sg = lim.subgroupSize;
  const d4 = p.d / 4;
  if (p.form === 'portable' || !sg || !isPow2(sg) || ask.wg % sg !== 0)
    throw new EngineError(
      LABEL,
      `the warps kernel needs one subgroup size (a power of two) dividing wg=${ask.wg}`,
    );
  let wg = ask.wg;
  // A key's LPK lanes and a PV step's KHL = sg / min(sg, d/4) key groups must tile one subgroup.
  const lpk = Math.min(ask.lpk, d4, sg);
  // Keys a lane group holds a step (a step is kpt·sg / lpk keys); at most lpk, the step's whole subgroup.
  const kpt = Math.min(lpk, Math.max(1, Math.round((ask.kpt * lpk) / ask.lpk)));
  while (warpsBytes(p.d, g, wg, sg, ask.fuse) > lim.budget) {
    if (wg / 2 >= Math.max(d4, sg)) wg /= 2;
    else
      throw new EngineError(LABEL, `d=${p.d}, G=${g} does not fit ${lim.budget} bytes of workgroup memory`);
  }
  const bytes = warpsBytes(p.d, g, wg, sg, ask.fuse);
  const scr = warpsScr(p.d, g, wg, sg);
  const tk = (wg * kpt) / lpk;
  const earlyV = p.earlyV ?? true;
  return { wg, kpt, lpk, tk, g, earlyV, kAhead: false, fuse: ask.fuse, bytes, scr, sg, warps: true };
}

export function decodingFastPlanFor(gpu: Gpu, p: FlashDecodingFastParams): DecodingFastPlan {
  return planDecodingFast(p, {
    budget: gpu.limits.maxComputeWorkgroupStorageSize,
    maxInvocations: gpu.limits.maxComputeInvocationsPerWorkgroup,
    subgroupSize: gpu.features.subgroups ? gpu.features.subgroupSize : undefined,
  });
}
