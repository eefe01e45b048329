// flashAttentionMatrix: the FlashAttention-2 forward on the GPU's matrix units through WGSL's subgroup
// matrices (chromium-experimental-subgroup-matrix), f16 inputs to the multiplies and f32 accumulation
// (shaders/attention/flashAttentionMatrix.wgsl). Same params, inputs, outputs and masks as
// flashAttentionProgram; less precise (f16 rounding of Q·scale, K, V and P), so its tolerance is its own,
// and the benchmark reports its error against the float64 reference beside its time. It runs only where
// the adapter offers 16×16×16 f16 → f32 matrices, f16 and one subgroup size of 32, and says why not
// elsewhere (matrixUnfit, engine/gpu/matrix.ts).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { MATRIX_DIAGNOSTICS_OFF, MATRIX_ENABLE, matrixUnfit } from '../../gpu/matrix';
import { uniformFor } from '../../gpu/uniforms';
import type { RunOptions } from '../program';
import {
  type AttentionInputs,
  type AttentionParams,
  attentionKernel,
  attentionUniformValues,
  checkDispatch,
  forwardGpu,
  softmaxProgram,
  validateAttention,
} from './common';

const LABEL = 'flashAttentionMatrix';

export interface MatrixTiles {
  /** Subgroups per workgroup; the Q tile has 16 rows per subgroup. */
  SG: number;
  /** Keys per K/V tile (a multiple of 32). */
  BC: number;
}

export interface FlashAttentionMatrixParams extends AttentionParams {
  /** Asked-for tiles; shrunk to the device's workgroup memory (matrixTilesFor). Default 4 × 64. */
  tiles?: Partial<MatrixTiles>;
}

/** Workgroup bytes of the kernel: K and V tiles (f16, rows of d + 8), per subgroup S or P·V (f32) and P (f16). */
export function matrixTileBytes(d: number, t: MatrixTiles): number {
  const kv = 2 * t.BC * (d + 8) * 2;
  const s = t.SG * 16 * Math.max(t.BC + 4, d + 4) * 4;
  const pBytes = t.SG * 16 * (t.BC + 8) * 2;
  return kv + s + pBytes;
}

/** The tiles for head dim d within `budget` bytes: BC halves (down to 32), then SG, until they fit. */
export function matrixTilesFor(d: number, asked: Partial<MatrixTiles>, budget: number): MatrixTiles {
  if (d % 16 !== 0 || d < 16 || d > 256)
    throw new EngineError(LABEL, `head dim d=${d} must be a multiple of 16 from 16 to 256`);
  const t = { SG: asked.SG ?? 4, BC: asked.BC ?? 64 };
  if (![1, 2, 4, 8].includes(t.SG)) throw new EngineError(LABEL, `SG must be 1, 2, 4 or 8, got ${t.SG}`);
  if (t.BC % 32 !== 0 || t.BC < 32) throw new EngineError(LABEL, `BC must be a multiple of 32, got ${t.BC}`);
  // The Q tile (16·SG rows) is staged in the K/V tiles' memory (2·BC rows).
  const fits = (x: MatrixTiles) => matrixTileBytes(d, x) <= budget && 16 * x.SG <= 2 * x.BC;
  while (!fits(t)) {
    if (t.BC > 32) t.BC /= 2;
    else if (t.SG > 1) t.SG /= 2;
    else throw new EngineError(LABEL, `head dim d=${d} does not fit ${budget} bytes of workgroup memory`);
  }
  return t;
}

export async function flashAttentionMatrixGpu(
  gpu: Gpu,
  p: FlashAttentionMatrixParams,
  x: AttentionInputs,
  opts: RunOptions = {},
) {
  validateAttention(LABEL, p, x);
  const why = matrixUnfit(gpu);
  if (why) throw new EngineError(LABEL, `cannot run here: ${why}`);
  if (opts.trace) throw new EngineError(LABEL, 'has no trace (the stages trace flashAttention)');
  const t = matrixTilesFor(p.d, p.tiles ?? {}, gpu.limits.maxComputeWorkgroupStorageSize);
  const run = await forwardGpu(gpu, LABEL, p, x, { ...opts, traceEvents: 0 }, async (scope, b) => {
    const scale = checkDispatch(LABEL, p, b);
    const tr = Math.ceil(p.sq / (16 * t.SG));
    const grid = gridFor(gpu, LABEL, tr * p.h * p.b);
    const k = await attentionKernel(gpu, LABEL, ['flashAttentionMatrix.wgsl'], {
      prelude: `const D: u32 = ${p.d}u;\nconst BC: u32 = ${t.BC}u;\nconst SG: u32 = ${t.SG}u;\n`,
      enable: MATRIX_ENABLE,
      // Each subgroup's slice of workgroup memory is uniform within the subgroup, not the workgroup.
      diagnosticsOff: MATRIX_DIAGNOSTICS_OFF,
    });
    const params = uniformFor(scope, k, attentionUniformValues(p, scale, { count: grid.count, tr }));
    return { dispatches: [{ kernel: k, bindings: { p: params.buffer, ...b }, workgroups: grid.workgroups }] };
  });
  return { ...run, SG: t.SG, BC: t.BC };
}

export const flashAttentionMatrixProgram = softmaxProgram<FlashAttentionMatrixParams>({
  id: 'flashAttentionMatrix',
  title: 'FlashAttention-2 forward on the matrix units (f16 in, f32 accumulation)',
  run: (gpu, p, x, opts) => flashAttentionMatrixGpu(gpu, p, x, opts),
  // f16 has a unit roundoff of 2⁻¹¹ ≈ 4.9e-4: Q·scale, K, V and P each round once, the scores' rounding
  // shifts P by about as much again, so outputs stay within a few 1e-3 of max(1, |ref|).
  tolerance: 5e-3,
});
