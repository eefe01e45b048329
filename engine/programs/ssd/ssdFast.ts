// ssdFast: the chunked SSD algorithm in three dispatches of register-tiled f32 products, the same params,
// inputs and outputs as ssdChunkedProgram (whose four teaching kernels the stages animate). (1) prep: every
// chunk's state Bᵀ·(decay ∘ X) and, in the same grid, every chunk's C·Bᵀ once per group (shared by its
// heads); (2) pass: the states passed along the chunks in place; (3) scan: each output tile's inter-chunk
// term C·S_c and its diagonal block (L ∘ CBᵀ)·X fused, Y written once. Tile sizes come from the chunk and
// the device's limits (workgroup memory, invocations): see ssdFastTiles.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Grid, gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type DispatchRecord, type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { checkSsdInputs, type SsdDims } from '../../reference/ssd';
import type { Program, RunOptions } from '../program';
import { checkSsdRun, nChunks, prelude, readSlice, ssdParams } from './common';
import { type SsdHostInputs, type SsdOutputs, type SsdParams, ssdChunkedProgram } from './ssdChunked';

/** The register tile: RM rows of RN columns per invocation, KS reduction steps staged at a time. */
export interface SsdFastShape {
  RM: 4 | 8;
  RN: 4 | 8;
  /** Reduction slice wanted; halved until the workgroup memory fits the device. */
  KS: number;
}

export interface SsdFastParams extends SsdParams {
  /** The register tile (default 4×4, 32-long slices). */
  shape?: SsdFastShape;
}

export interface SsdFastTiles {
  TM: number; // output tile rows (p in prep's states, t in the scan, s in C·Bᵀ)
  TN: number; // output tile columns (n, p, t)
  RM: number;
  RN: number;
  KS: number;
  WG: number; // (TM / RM)·(TN / RN)
  QP: number; // the chunk rounded up to a power of two: the scan of A
}

const pow2 = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));
const cdiv = (a: number, b: number) => Math.ceil(a / b);
export const DEFAULT_SHAPE: SsdFastShape = { RM: 4, RN: 4, KS: 32 };

/** Workgroup memory of a tile: the two padded k-major slices and the chunk scan, in bytes. */
export const tileBytes = (t: Omit<SsdFastTiles, 'WG'>) => 4 * (t.KS * (t.TM + 4) + t.KS * (t.TN + 4) + t.QP);

/**
 * Tiles for chunk Q: 64 columns (one p tile for P ≤ 64, one n tile for N ≤ 64), up to 64 rows (fewer for
 * short chunks), and the longest slice, from `shape.KS` down, whose workgroup memory fits the device
 * (17.7 KB at 64×64 and KS 32: two or more workgroups per SM on 48 KiB parts, and SwiftShader's 32 KiB).
 */
export function ssdFastTiles(
  limits: Pick<Gpu['limits'], 'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup'>,
  Q: number,
  shape: SsdFastShape = DEFAULT_SHAPE,
): SsdFastTiles {
  const { RM, RN } = shape;
  const TN = 64;
  const TM = Math.min(64, Math.max(2 * RM, pow2(Q)));
  const QP = pow2(Q);
  const WG = (TM / RM) * (TN / RN);
  const fits = (KS: number) => tileBytes({ TM, TN, RM, RN, KS, QP }) <= limits.maxComputeWorkgroupStorageSize;
  // KS·TM / WG = KS·RM·RN / TN and KS·TN / WG = KS·RM·RN / TM: whole rounds of staging from KS = 4 on.
  const minKS = 4;
  let KS = Math.max(minKS, pow2(shape.KS));
  while (KS > minKS && !fits(KS)) KS /= 2;
  const bytes = tileBytes({ TM, TN, RM, RN, KS, QP });
  if (bytes > limits.maxComputeWorkgroupStorageSize || WG > limits.maxComputeInvocationsPerWorkgroup)
    throw new EngineError(
      'ssdFast',
      `a ${TM}×${TN} tile (${WG} invocations, ${bytes} B of workgroup memory) does not fit this device`,
    );
  return { TM, TN, RM, RN, KS, WG, QP };
}

/** The three kernels of the fast SSD, for either tile core. */
export interface FastKernels {
  prep: Kernel;
  pass: Kernel;
  scan: Kernel;
}

/** The prep and scan kernels' sources around a tile core (ssd/ssdFastTile.wgsl or ssd/ssdMatrixTile.wgsl). */
export const tiledSources = (core: string, file: string) => [
  'common/grid.wgsl',
  'ssd/ssdCommon.wgsl',
  'ssd/ssdTileStage.wgsl',
  `ssd/${core}.wgsl`,
  `ssd/${file}.wgsl`,
  'ssd/perWorkgroup.wgsl',
  'common/perWorkgroup.wgsl',
];

const PASS_WG = 256;

/** The state-passing kernel, the same for both cores. */
export const passKernel = (gpu: Gpu) =>
  kernel(gpu, {
    label: 'ssdFast.pass',
    sources: ['common/grid.wgsl', 'ssd/ssdCommon.wgsl', 'ssd/ssdFastPass.wgsl', 'common/perElement.wgsl'],
    constants: { WG: PASS_WG },
  });

async function fastKernels(gpu: Gpu, t: SsdFastTiles): Promise<FastKernels> {
  const sizes = prelude({ TM: t.TM, TN: t.TN, RM: t.RM, RN: t.RN, KS: t.KS, WG: t.WG, QP: t.QP });
  const tiled = (file: string) => tiledSources('ssdFastTile', file);
  const [prep, pass, scan] = await Promise.all([
    kernel(gpu, { label: 'ssdFast.prep', sources: tiled('ssdFastPrep'), prelude: sizes }),
    passKernel(gpu),
    kernel(gpu, { label: 'ssdFast.scan', sources: tiled('ssdFastScan'), prelude: sizes }),
  ]);
  return { prep, pass, scan };
}

/** Workgroups of the prep grid (chunk states, then C·Bᵀ per group) and of the scan grid. */
export function fastWorkgroups(d: SsdDims, Q: number, t: Pick<SsdFastTiles, 'TM' | 'TN'>) {
  const nC = nChunks(d.T, Q);
  const state = d.batch * d.H * nC * cdiv(d.P, t.TM) * cdiv(d.N, t.TN);
  const cb = d.batch * d.G * nC * cdiv(Q, t.TM) * cdiv(Q, t.TN);
  const scan = d.batch * d.H * cdiv(d.P, t.TN) * nC * cdiv(Q, t.TM);
  return { state, cb, scan };
}

export interface SsdFastResult<T = SsdFastTiles> {
  Y: Float32Array; // (batch, T, H, P)
  finalState: Float32Array; // (batch, H, P, N)
  gpuMs: number | null;
  dispatches: DispatchRecord[];
  tiles: T;
}

/** Checks a fast SSD run's params and inputs (label: the program's) and returns its chunk. */
export function checkFastRun(params: SsdParams, x: SsdHostInputs, label: string): number {
  checkSsdRun(params, params.Q, label);
  checkSsdInputs(params, x, label);
  return Math.min(params.Q, params.T);
}

/** The three dispatches (prep, pass, scan) on kernels built for tiles of TM×TN, in one submission. */
export async function runFast(
  gpu: Gpu,
  label: string,
  d: SsdDims,
  Q: number,
  x: SsdHostInputs,
  tiles: Pick<SsdFastTiles, 'TM' | 'TN'>,
  k: FastKernels,
  opts: RunOptions,
): Promise<Omit<SsdFastResult, 'tiles'>> {
  const nC = nChunks(d.T, Q);
  const sn = d.batch * d.H * d.P * d.N;
  const scope = new BufferScope(gpu, label);
  try {
    const b = {
      X: scope.upload('X', x.X),
      A: scope.upload('A', x.A),
      B: scope.upload('B', x.B),
      C: scope.upload('C', x.C),
      init: x.init ? scope.upload('init', x.init) : scope.storage('init', 4),
      // Scratch and outputs zeroed from the host, so no lazy clear runs inside the timed passes.
      states: scope.zeroed('states', nC * sn * 4),
      cbt: scope.zeroed('cbt', d.batch * d.G * nC * Q * Q * 4),
      csum: scope.zeroed('csum', nC * d.batch * d.H * 4),
      last: scope.zeroed('last', sn * 4),
      Y: scope.zeroed('Y', d.batch * d.T * d.H * d.P * 4),
    };
    const hasInit = !!x.init;
    const wgs = fastWorkgroups(d, Q, tiles);
    const dispatch = (kk: Kernel, grid: Grid, buffers: Record<string, GPUBuffer>): Dispatch => {
      const prm = uniformFor(scope, kk, ssdParams(d, Q, { c0: 0, c1: nC, hasInit, count: grid.count }));
      return { kernel: kk, bindings: { prm: prm.buffer, ...buffers }, workgroups: grid.workgroups };
    };
    const { X, A, B, C, init, states, cbt, csum, last, Y } = b;
    const dispatches = [
      dispatch(k.prep, gridFor(gpu, k.prep.label, wgs.state + wgs.cb), { X, A, B, C, states, cbt, csum }),
      dispatch(k.pass, gridForInvocations(gpu, k.pass.label, sn, PASS_WG), { csum, init, states, last }),
      dispatch(k.scan, gridFor(gpu, k.scan.label, wgs.scan), { X, A, C, cbt, states, Y }),
    ];
    const run = await runDispatches(gpu, label, dispatches, { time: opts.time });
    return {
      Y: await readSlice(gpu, scope, b.Y, 0, d.batch * d.T * d.H * d.P),
      finalState: await readSlice(gpu, scope, b.last, 0, sn),
      gpuMs: run.gpuMs,
      dispatches: run.dispatches,
    };
  } finally {
    scope.release();
  }
}

export async function ssdFastGpu(
  gpu: Gpu,
  params: SsdFastParams,
  x: SsdHostInputs,
  opts: RunOptions = {},
): Promise<SsdFastResult> {
  const Q = checkFastRun(params, x, 'ssdFast');
  const tiles = ssdFastTiles(gpu.limits, Q, params.shape);
  const k = await fastKernels(gpu, tiles);
  return { ...(await runFast(gpu, 'ssdFast', params, Q, x, tiles, k, opts)), tiles };
}

export const ssdFastProgram: Program<SsdFastParams, SsdHostInputs, SsdOutputs> = {
  id: 'ssdFast',
  title: 'Chunked SSD, fast: chunk states and C·Bᵀ, state passing, fused chunk scan',
  // The same inputs and float64 reference as the four-kernel form.
  makeInputs: ssdChunkedProgram.makeInputs,
  reference: ssdChunkedProgram.reference,
  async run(gpu, p, x, opts = {}) {
    if (opts.trace) throw new EngineError('ssdFast', 'the fast SSD kernels record no trace');
    const { Y, finalState, gpuMs, dispatches } = await ssdFastGpu(gpu, p, x, opts);
    return { outputs: { Y, finalState }, gpuMs, trace: null, dispatches };
  },
  tolerance: 1e-4,
};
