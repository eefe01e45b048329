// discretizeDense: ZOH (augmented matrix exponential) and bilinear (Gauss-Jordan) discretization of a
// dense (A (N,N), B (N,), Δ) in one GPU workgroup. Diagonal A lives in discretizeDiag.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32, readU32 } from '../../gpu/tensor';
import { type Disc, discretizeBilinearDense, discretizeZohDense } from '../../reference/discretize';
import { hippoLegs } from '../../reference/hippo';
import { checkN } from './hippoLegs';
import type { Program } from '../program';

export type { Disc };

/** The GPU version runs in one workgroup with O(N^3) work; past this it refuses rather than stalls. */
export const MAX_DENSE_N = 512;
const WG = 256;

export function checkDt(label: string, dt: number): void {
  if (!Number.isFinite(dt) || dt <= 0)
    throw new EngineError(label, `dt must be a finite number > 0 (got ${dt})`);
}

export function checkDisc(label: string, disc: string): asserts disc is Disc {
  if (disc !== 'zoh' && disc !== 'bilinear')
    throw new EngineError(label, `disc must be 'zoh' or 'bilinear' (got ${JSON.stringify(disc)})`);
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
  const work = scope.storage(`${disc}.work`, workFloats * 4);
  const Abar = scope.storage(`${disc}.Abar`, N * N * 4);
  const Bbar = scope.storage(`${disc}.Bbar`, N * 4);
  const status = scope.storage(`${disc}.status`, 4);
  const k = await kernel(gpu, {
    label,
    sources: ['s4/discretizeDense.wgsl'],
    entryPoint: disc,
    constants: { WG },
  });
  const params = scope.uniform(`${disc}.params`, [
    ['u32', N],
    ['f32', dt],
  ]);
  const dispatch: Dispatch = {
    kernel: k,
    bindings: [params, A, B, work, Abar, Bbar, status],
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
  time = false,
) {
  const N = B.length;
  if (A.length !== N * N)
    throw new EngineError(`discretize.${disc}`, `A must be (N,N) for B (N,), N=${N}; got ${A.length}`);
  const scope = new BufferScope(gpu, 'discretize');
  try {
    const d = await discretizeDenseDispatch(
      gpu,
      scope,
      N,
      dt,
      disc,
      scope.upload('A', A),
      scope.upload('B', B),
    );
    const { gpuMs } = await runDispatches(gpu, `discretize.${disc}`, [d.dispatch], { time });
    await checkDiscretizeStatus(gpu, d.status, disc, dt);
    return { Abar: await readF32(gpu, d.Abar, N * N), Bbar: await readF32(gpu, d.Bbar, N), gpuMs };
  } finally {
    scope.release();
  }
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
    const { Abar, Bbar, gpuMs } = await discretizeDenseGpu(gpu, x.A, x.B, p.dt, p.disc, opts.time);
    return { outputs: { Abar, Bbar }, gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
