// rmsNormGated: the gated RMSNorm of the Mamba-2 block (layernorm_gated.rms_norm_ref) on the GPU, one
// workgroup per (row, group) (shaders/layers/rmsNormGated.wgsl). CPU side: reference/blocks.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import { rmsNormGated } from '../../reference/blocks';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { checkLength, checkSizes, runResult } from './common';

const WG = 64;
const LABEL = 'rmsNormGated';

export interface RmsNormGatedParams {
  rows: number;
  /** Features of the last dim. */
  F: number;
  /** Features per group (F when absent). */
  groupSize?: number | null;
  eps: number;
  normBeforeGate: boolean;
}

export interface RmsNormGatedInputs {
  x: ArrayLike<number>; // (rows, F)
  weight: ArrayLike<number>; // (F,)
  z?: ArrayLike<number> | null; // (rows, F)
  bias?: ArrayLike<number> | null; // (F,)
}

export interface RmsNormGatedBuffers {
  x: GPUBuffer; // (rows, F)
  weight: GPUBuffer; // (F,)
  z: GPUBuffer | null; // (rows, F)
  bias: GPUBuffer | null; // (F,)
  out: GPUBuffer; // (rows, F)
}

/** The group size, checked: it divides F. */
export function rmsGroupSize(p: RmsNormGatedParams): number {
  checkSizes(LABEL, { rows: p.rows, F: p.F });
  const gs = p.groupSize ?? p.F;
  if (!Number.isInteger(gs) || gs < 1 || p.F % gs !== 0)
    throw new EngineError(LABEL, `group size ${gs} must divide F=${p.F}`);
  if (!(p.eps >= 0)) throw new EngineError(LABEL, `eps must be >= 0, got ${p.eps}`);
  return gs;
}

export function rmsNormGatedKernel(gpu: Gpu): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.group`,
    sources: ['common/math.wgsl', 'common/grid.wgsl', 'layers/rmsNormGated.wgsl', 'common/perWorkgroup.wgsl'],
    constants: { WG },
  });
}

/** One workgroup per (row, group) on buffers it is given (the grid folded past 65,535). */
export async function rmsNormGatedDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: RmsNormGatedParams,
  b: RmsNormGatedBuffers,
): Promise<Dispatch> {
  const groupSize = rmsGroupSize(p);
  const groups = p.F / groupSize;
  const k = await rmsNormGatedKernel(gpu);
  const grid = gridFor(gpu, LABEL, p.rows * groups);
  const params = uniformFor(scope, k, {
    F: p.F,
    groupSize,
    groups,
    count: grid.count,
    eps: p.eps,
    hasZ: b.z ? 1 : 0,
    normBeforeGate: p.normBeforeGate ? 1 : 0,
    hasBias: b.bias ? 1 : 0,
  });
  const none = () => scope.storage('none', 4);
  return {
    kernel: k,
    bindings: {
      p: params.buffer,
      x: b.x,
      z: b.z ?? none(),
      weight: b.weight,
      bias: b.bias ?? none(),
      outBuf: b.out,
    },
    workgroups: grid.workgroups,
  };
}

export async function rmsNormGatedGpu(
  gpu: Gpu,
  p: RmsNormGatedParams,
  x: RmsNormGatedInputs,
  opts: RunOptions = {},
) {
  rmsGroupSize(p);
  const n = p.rows * p.F;
  checkLength(LABEL, 'x', x.x, n);
  checkLength(LABEL, 'weight', x.weight, p.F);
  checkLength(LABEL, 'z', x.z, n);
  checkLength(LABEL, 'bias', x.bias, p.F);
  return runAndRead<'out'>(
    gpu,
    LABEL,
    async (scope) => {
      const up = scope.uploadAll({ x: x.x, weight: x.weight, z: x.z, bias: x.bias });
      const b: RmsNormGatedBuffers = { ...up, out: scope.storage('out', n * 4) };
      return { dispatches: [await rmsNormGatedDispatch(gpu, scope, p, b)], read: { out: [b.out, n] } };
    },
    opts.time,
  );
}

/** The float64 reference with the program's parameters. */
export const rmsNormGatedReference = (p: RmsNormGatedParams, x: RmsNormGatedInputs): Float64Array =>
  rmsNormGated(x.x, p.F, x.weight, p, x.z, x.bias);

export function makeRmsNormGatedInputs(p: RmsNormGatedParams, seed: number): RmsNormGatedInputs {
  const rng = new Rng(seed);
  const n = p.rows * p.F;
  return {
    x: rng.normals(n),
    weight: rng.normals(p.F, 0.5).map((v) => 1 + v),
    z: rng.normals(n),
    bias: rng.normals(p.F, 0.1),
  };
}

export const rmsNormGatedProgram: Program<RmsNormGatedParams, RmsNormGatedInputs, { out: Host }> = {
  id: LABEL,
  title: 'Gated RMSNorm (per group, silu(z) gate before or after the norm)',
  makeInputs: makeRmsNormGatedInputs,
  reference: (p, x) => ({ out: rmsNormGatedReference(p, x) }),
  async run(gpu, p, x, opts = {}) {
    const r = await rmsNormGatedGpu(gpu, p, x, opts);
    return runResult(r, { out: r.out });
  },
  tolerance: 1e-4,
};
