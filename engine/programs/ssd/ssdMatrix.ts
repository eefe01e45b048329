// ssdMatrix: ssdFast's three dispatches (chunk states and C·Bᵀ, state passing, fused chunk scan) with the
// tile products on the GPU's matrix units through WGSL's subgroup matrices: operands rounded to f16 as they
// are staged, f32 accumulation (shaders/ssd/ssdMatrixTile.wgsl, the same kernels as ssdFast around another
// tile core). Same params, inputs, outputs and float64 reference as ssdChunked; less precise, so its
// tolerance is its own and the benchmark reports its error beside its time. It runs only where the adapter
// offers 16×16×16 f16 → f32 matrices, f16 and one subgroup size of 32 (matrixUnfit says why not).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { kernel } from '../../gpu/kernel';
import { MATRIX_DIAGNOSTICS_OFF, MATRIX_ENABLE, matrixUnfit } from '../../gpu/matrix';
import type { SsdDims } from '../../reference/ssd';
import type { Program, RunOptions } from '../program';
import { prelude } from './common';
import { type SsdHostInputs, type SsdOutputs, type SsdParams, ssdChunkedProgram } from './ssdChunked';
import {
  checkFastRun,
  type FastKernels,
  passKernel,
  runFast,
  type SsdFastResult,
  tiledSources,
} from './ssdFast';

const LABEL = 'ssdMatrix';

/** Subgroups across the 64 columns of a tile (SGC) and the reduction slice wanted (KS, a multiple of 16). */
export interface SsdMatrixShape {
  SGC: 1 | 2 | 4;
  KS: number;
}

export interface SsdMatrixParams extends SsdParams {
  /** Default 2 subgroups across, slices of 64. */
  shape?: SsdMatrixShape;
}

export interface SsdMatrixTiles {
  TM: number; // tile rows: 16 per subgroup row, up to 64 (fewer for chunks under 64)
  TN: number; // tile columns: 64
  SGC: number;
  KS: number;
  WG: number; // 32·(TM / 16)·SGC
  QP: number; // the chunk rounded up to a power of two: the scan of A
}

const pow2 = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));
export const DEFAULT_MATRIX_SHAPE: SsdMatrixShape = { SGC: 2, KS: 64 };

/** Workgroup bytes: the two f16 slices (rows padded by 8), the f32 output tile (rows + 4), the chunk scan. */
export const matrixTileBytes = (t: Omit<SsdMatrixTiles, 'WG' | 'SGC'>) =>
  2 * t.KS * (t.TM + 8) + 2 * t.KS * (t.TN + 8) + 4 * t.TM * (t.TN + 4) + 4 * t.QP;

/** Tiles for chunk Q: the longest slice from `shape.KS` down to 16 whose workgroup memory fits the device. */
export function ssdMatrixTiles(
  limits: Pick<Gpu['limits'], 'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup'>,
  Q: number,
  shape: SsdMatrixShape = DEFAULT_MATRIX_SHAPE,
): SsdMatrixTiles {
  if (![1, 2, 4].includes(shape.SGC)) throw new EngineError(LABEL, `SGC must be 1, 2 or 4, got ${shape.SGC}`);
  if (shape.KS % 16 !== 0 || shape.KS < 16)
    throw new EngineError(LABEL, `the slice KS must be a multiple of 16, got ${shape.KS}`);
  const TN = 64;
  const TM = Math.min(64, Math.max(16, pow2(Q)));
  const QP = pow2(Q);
  const WG = 32 * (TM / 16) * shape.SGC;
  const fits = (KS: number) => matrixTileBytes({ TM, TN, KS, QP }) <= limits.maxComputeWorkgroupStorageSize;
  let KS = pow2(shape.KS);
  while (KS > 16 && !fits(KS)) KS /= 2;
  const bytes = matrixTileBytes({ TM, TN, KS, QP });
  if (!fits(KS) || WG > limits.maxComputeInvocationsPerWorkgroup)
    throw new EngineError(
      LABEL,
      `a ${TM}×${TN} tile (${WG} invocations, ${bytes} B of workgroup memory) does not fit this device`,
    );
  return { TM, TN, SGC: shape.SGC, KS, WG, QP };
}

/**
 * Whether every tile of the run is whole, so each subgroup can store its results straight to storage: the
 * state tiles (P×N), the C·Bᵀ tiles (Q×Q) and the output tiles (Q rows of a chunk × P), with no short last
 * chunk.
 */
export const wholeTiles = (d: SsdDims, Q: number, t: Pick<SsdMatrixTiles, 'TM' | 'TN'>) =>
  d.P % t.TM === 0 &&
  d.P % t.TN === 0 &&
  d.N % t.TN === 0 &&
  Q % t.TM === 0 &&
  Q % t.TN === 0 &&
  d.T % Q === 0;

async function matrixKernels(gpu: Gpu, t: SsdMatrixTiles, direct: boolean): Promise<FastKernels> {
  const spec = (file: string, out: string) => ({
    label: `${LABEL}.${file === 'ssdFastPrep' ? 'prep' : 'scan'}`,
    sources: [...tiledSources('ssdMatrixTile', file), `ssd/${direct ? out : 'ssdMatrixNoOut'}.wgsl`],
    prelude:
      prelude({ TM: t.TM, TN: t.TN, SGC: t.SGC, KS: t.KS, WG: t.WG, QP: t.QP }) +
      `const DIRECT: bool = ${direct};\n`,
    enable: MATRIX_ENABLE,
    diagnosticsOff: MATRIX_DIAGNOSTICS_OFF,
  });
  const [prep, pass, scan] = await Promise.all([
    kernel(gpu, spec('ssdFastPrep', 'ssdMatrixPrepOut')),
    passKernel(gpu),
    kernel(gpu, spec('ssdFastScan', 'ssdMatrixScanOut')),
  ]);
  return { prep, pass, scan };
}

export async function ssdMatrixGpu(
  gpu: Gpu,
  params: SsdMatrixParams,
  x: SsdHostInputs,
  opts: RunOptions = {},
): Promise<SsdFastResult<SsdMatrixTiles & { direct: boolean }>> {
  const Q = checkFastRun(params, x, LABEL);
  const why = matrixUnfit(gpu);
  if (why) throw new EngineError(LABEL, `cannot run here: ${why}`);
  const tiles = ssdMatrixTiles(gpu.limits, Q, params.shape);
  const direct = wholeTiles(params, Q, tiles);
  const k = await matrixKernels(gpu, tiles, direct);
  return { ...(await runFast(gpu, LABEL, params, Q, x, tiles, k, opts)), tiles: { ...tiles, direct } };
}

export const ssdMatrixProgram: Program<SsdMatrixParams, SsdHostInputs, SsdOutputs> = {
  id: LABEL,
  title: 'Chunked SSD on the matrix units (f16 in, f32 accumulation)',
  makeInputs: ssdChunkedProgram.makeInputs,
  reference: ssdChunkedProgram.reference,
  async run(gpu, p, x, opts = {}) {
    if (opts.trace) throw new EngineError(LABEL, 'the matrix SSD kernels record no trace');
    const { Y, finalState, gpuMs, dispatches } = await ssdMatrixGpu(gpu, p, x, opts);
    return { outputs: { Y, finalState }, gpuMs, trace: null, dispatches };
  },
  // f16's unit roundoff is 2⁻¹¹ ≈ 4.9e-4: X, B, C, the decays, C·Bᵀ and the passed states each round once
  // before a product, so outputs stay within a few 1e-3 of max(1, |ref|).
  tolerance: 5e-3,
};
