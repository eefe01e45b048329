// s4Pipeline: the whole S4 convolution path in one GPU submission: discretize (ZOH or bilinear), the
// Krylov kernel K_l = C Ā^l B̄, then y = K * u through the FFT. Dense A only (HiPPO); no NPLR/Cauchy kernel.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { runDispatches } from '../../gpu/kernel';
import { readF32 } from '../../gpu/tensor';
import { inScope } from '../../gpu/run';
import { hippoLegs } from '../../reference/hippo';
import { s4Pipeline } from '../../reference/s4';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkL, runResult } from './common';
import {
  checkDiscretizeStatus,
  type DiscretizeInputs,
  type DiscretizeParams,
  discretizeDenseDispatch,
} from './discretizeDense';
import { fftConvDispatches } from './fftConv';
import { s4KernelDenseDispatch } from './s4Kernel';

export interface S4PipelineParams extends DiscretizeParams {
  L: number;
}
export interface S4PipelineInputs extends DiscretizeInputs {
  C: Float32Array; // (N,)
  u: Float32Array; // (L,)
}
export type S4PipelineOutputs = {
  Abar: Float32Array | Float64Array; // (N, N)
  Bbar: Float32Array | Float64Array; // (N,)
  K: Float32Array | Float64Array; // (L,)
  y: Float32Array | Float64Array; // (L,)
};

export async function s4PipelineGpu(
  gpu: Gpu,
  p: S4PipelineParams,
  x: S4PipelineInputs,
  opts: RunOptions = {},
) {
  const { N, L, dt, disc } = p;
  checkL('s4Pipeline', L);
  if (x.A.length !== N * N || x.B.length !== N || x.C.length !== N || x.u.length !== L)
    throw new EngineError('s4Pipeline', `want A (${N},${N}), B and C (${N},), u (${L},)`);
  return inScope(gpu, 's4Pipeline', async (scope) => {
    const A = scope.upload('A', x.A);
    const B = scope.upload('B', x.B);
    const C = scope.upload('C', x.C);
    const u = scope.upload('u', x.u);
    const d = await discretizeDenseDispatch(gpu, scope, N, dt, disc, A, B);
    const k = await s4KernelDenseDispatch(gpu, scope, N, L, { Abar: d.Abar, Bbar: d.Bbar, C });
    const conv = await fftConvDispatches(gpu, scope, { B: 1, H: 1, L }, { u, K: k.K, D: null });
    const all = [d.dispatch, k.dispatch, ...conv.dispatches];
    const run = await runDispatches(gpu, 's4Pipeline', all, opts);
    await checkDiscretizeStatus(gpu, d.status, disc, dt);
    const outputs: S4PipelineOutputs = {
      Abar: await readF32(gpu, d.Abar, N * N),
      Bbar: await readF32(gpu, d.Bbar, N),
      K: await readF32(gpu, k.K, L),
      y: await readF32(gpu, conv.y, L),
    };
    return { outputs, ...run };
  });
}

export const s4PipelineProgram: Program<S4PipelineParams, S4PipelineInputs, S4PipelineOutputs> = {
  id: 's4Pipeline',
  title: 'S4: discretize, kernel, convolve',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    const { A, B } = hippoLegs(p.N);
    return {
      A: Float32Array.from(A),
      B: Float32Array.from(B),
      C: rng.normals(p.N, 1 / Math.sqrt(p.N)),
      u: rng.normals(p.L),
    };
  },
  reference: (p, x) => s4Pipeline(x.A, x.B, x.C, x.u, p.dt, p.L, p.disc),
  async run(gpu, p, x, opts = {}) {
    const r = await s4PipelineGpu(gpu, p, x, opts);
    return runResult(r.outputs, r);
  },
  tolerance: 1e-3,
};
