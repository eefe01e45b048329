// discretizeDense: ZOH (augmented matrix exponential) and bilinear (Gauss-Jordan) discretization of a
// dense (A (N,N), B (N,), Δ) in one GPU workgroup. Diagonal A lives in discretizeDiag.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32, readU32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import { type Disc, discretizeBilinearDense, discretizeZohDense } from '../../reference/discretize';
import { hippoLegs } from '../../reference/hippo';
import type { Program, RunOptions } from '../program';
import { checkDisc, checkDt, checkN, MAX_DENSE_N, runResult } from './common';

export type { Disc };

const WG = 256;

/** The kernel of one discretization: entry point `zoh` or `bilinear` of s4/discretizeDense.wgsl. */
export function discretizeDenseKernel(gpu: Gpu, disc: Disc) {
  return kernel(gpu, {
    label: `discretize.${disc}`,
    sources: ['s4/denseDisc.wgsl', 's4/discretizeDense.wgsl'],
    entryPoint: disc,
    constants: { WG },
  });
}

/**
 * A dispatch computing Ā (N,N) and B̄ (N,) into new buffers owned by `scope`, from buffers A and B.
 * Read `status` afterwards with `checkDiscretizeStatus`.
 */
export async function discretizeDenseDispatch(
  gpu: Gpu,
  scope: BufferScope,
  N: number,
  dt: number,
  disc: Disc,
  A: GPUBuffer,
  B: GPUBuffer,
) {
  const label = `discretize.${disc}`;
  checkN(label, N, MAX_DENSE_N);
  checkDt(label, dt);
  checkDisc(label, disc);
  const workFloats = disc === 'zoh' ? 3 * (N + 1) * (N + 1) : N * (2 * N + 1) + N;
  const work = scope.storage(`${disc}.work`, workFloats * 4); // zoh: 3 (N+1)^2; bilinear: N (2N+1) + N
  const Abar = scope.storage(`${disc}.Abar`, N * N * 4); // (N, N)
  const Bbar = scope.storage(`${disc}.Bbar`, N * 4); // (N,)
  const status = scope.storage(`${disc}.status`, 4); // (1,)
  const k = await discretizeDenseKernel(gpu, disc);
  const p = uniformFor(scope, k, { N, dt });
  const dispatch: Dispatch = {
    kernel: k,
    bindings: { p: p.buffer, A, B, work, Abar, Bbar, status },
    workgroups: [1],
  };
  return { dispatch, Abar, Bbar, status };
}

/** Throws a clear EngineError when the kernel flagged a singular system or non-finite input. */
export async function checkDiscretizeStatus(gpu: Gpu, status: GPUBuffer, disc: Disc, dt: number) {
  const s = (await readU32(gpu, status, 1))[0];
  if (s === 1) throw new EngineError(`discretize.${disc}`, `I − dt/2·A is singular for dt=${dt}`);
  if (s === 2) throw new EngineError(`discretize.${disc}`, 'A, B or dt has non-finite entries');
}

export async function discretizeDenseGpu(
  gpu: Gpu,
  A: Float32Array,
  B: Float32Array,
  dt: number,
  disc: Disc,
  opts: RunOptions = {},
) {
  const N = B.length;
  const label = `discretize.${disc}`;
  if (A.length !== N * N) throw new EngineError(label, `A must be (N,N) for B (N,), N=${N}; got ${A.length}`);
  return inScope(gpu, 'discretize', async (scope) => {
    const [a, b] = [scope.upload('A', A), scope.upload('B', B)];
    const d = await discretizeDenseDispatch(gpu, scope, N, dt, disc, a, b);
    const run = await runDispatches(gpu, label, [d.dispatch], opts);
    await checkDiscretizeStatus(gpu, d.status, disc, dt);
    return { Abar: await readF32(gpu, d.Abar, N * N), Bbar: await readF32(gpu, d.Bbar, N), ...run };
  });
}

export interface DiscretizeParams {
  N: number;
  dt: number;
  disc: Disc;
}
export interface DiscretizeInputs {
  A: Float32Array; // (N, N)
  B: Float32Array; // (N,)
}
export type DiscretizeOutputs = { Abar: Float32Array | Float64Array; Bbar: Float32Array | Float64Array };

export const discretizeDenseProgram: Program<DiscretizeParams, DiscretizeInputs, DiscretizeOutputs> = {
  id: 'discretizeDense',
  title: 'ZOH and bilinear discretization of a dense SSM',
  makeInputs(p) {
    const { A, B } = hippoLegs(p.N);
    return { A: Float32Array.from(A), B: Float32Array.from(B) };
  },
  reference: (p, x) => (p.disc === 'zoh' ? discretizeZohDense : discretizeBilinearDense)(x.A, x.B, p.dt),
  async run(gpu, p, x, opts = {}) {
    const r = await discretizeDenseGpu(gpu, x.A, x.B, p.dt, p.disc, opts);
    return runResult({ Abar: r.Abar, Bbar: r.Bbar }, r);
  },
  tolerance: 1e-4,
};
