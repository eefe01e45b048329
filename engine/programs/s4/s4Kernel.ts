// s4Kernel: K_l = C Ā^l B̄, l = 0..L-1, on the GPU. Dense Ā: the impulse response of the recurrence (the
// Krylov sequence B̄, ĀB̄, Ā²B̄, ... formed one matvec per step in ssmScan.wgsl with u = δ). Diagonal complex
// Ā: the Vandermonde product of s4dKernel.wgsl with scale 1 (no conjugate-pair factor).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { inScope } from '../../gpu/run';
import { s4KernelDense } from '../../reference/s4';
import { traceBuffer } from '../../trace/events';
import type { Complex } from '../../util/complex';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkL, type DenseSize, type DiscreteSsm, runResult } from './common';
import { s4dKernelGpu } from './s4dKernel';
import { ssmScanDispatch, ssmScanKernel } from './ssmScan';

/** The dense kernel is the scan's kernel run on an impulse. */
export const s4KernelDenseKernel = ssmScanKernel;

/** Dispatch writing K (L,) into a new buffer from buffers Ā (N,N), B̄ (N,), C (N,). */
export async function s4KernelDenseDispatch(
  gpu: Gpu,
  scope: BufferScope,
  N: number,
  L: number,
  b: { Abar: GPUBuffer; Bbar: GPUBuffer; C: GPUBuffer },
): Promise<{ dispatch: Dispatch; K: GPUBuffer }> {
  checkL('s4Kernel', L);
  const K = scope.storage('K', L * 4); // (L,)
  const dispatch = await ssmScanDispatch(
    gpu,
    scope,
    { N, L, k0: 0, steps: L, hasX0: false, writeStates: false, impulse: true, D: 0 },
    {
      ...b,
      u: scope.storage('krylov.u', 4),
      x: scope.storage('krylov.x', N * 4),
      y: K,
      states: scope.storage('krylov.states', 4),
      trace: traceBuffer(scope, 1),
    },
  );
  return { dispatch, K };
}

export async function s4KernelDenseGpu(
  gpu: Gpu,
  Abar: Float32Array,
  Bbar: Float32Array,
  C: Float32Array,
  L: number,
  opts: RunOptions = {},
) {
  const N = Bbar.length;
  if (Abar.length !== N * N || C.length !== N)
    throw new EngineError('s4Kernel', `Ā must be (N,N) with B̄, C (N,), N=${N}`);
  return inScope(gpu, 's4Kernel', async (scope) => {
    const b = { Abar: scope.upload('Abar', Abar), Bbar: scope.upload('Bbar', Bbar), C: scope.upload('C', C) };
    const { dispatch, K } = await s4KernelDenseDispatch(gpu, scope, N, L, b);
    const run = await runDispatches(gpu, 's4Kernel', [dispatch], opts);
    return { K: await readF32(gpu, K, L), ...run };
  });
}

/** Diagonal Ā, B̄, C (N,) complex: K_l = Σ_n C_n B̄_n Ā_n^l, complex. */
export async function s4KernelDiagGpu(gpu: Gpu, Abar: Complex, Bbar: Complex, C: Complex, L: number) {
  const r = await s4dKernelGpu(gpu, 3, Abar, Bbar, C, [1], L, 1);
  return r.Kc;
}

export type S4KernelParams = DenseSize;
export type S4KernelInputs = DiscreteSsm;

export const s4KernelProgram: Program<S4KernelParams, S4KernelInputs, { K: Float32Array | Float64Array }> = {
  id: 's4Kernel',
  title: 'SSM convolution kernel K_l = C Ā^l B̄ (dense Ā)',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return {
      Abar: rng.normals(p.N * p.N, 0.5 / Math.sqrt(p.N)),
      Bbar: rng.normals(p.N),
      C: rng.normals(p.N, 1 / Math.sqrt(p.N)),
    };
  },
  reference: (p, x) => ({ K: s4KernelDense(x.Abar, x.Bbar, x.C, p.L) }),
  async run(gpu, p, x, opts = {}) {
    const r = await s4KernelDenseGpu(gpu, x.Abar, x.Bbar, x.C, p.L, opts);
    return runResult({ K: r.K }, r);
  },
  tolerance: 1e-4,
};
