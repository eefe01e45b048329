// ssdQuadratic: the dual (attention-like) form of SSD over the whole sequence, Y = (L ∘ C Bᵀ) X.
// It is the diagonal-block kernel of the chunked algorithm (common.ts, phase 1) with one chunk of length T.

import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { checkSsdInputs, type SsdDims, ssdQuadratic } from '../../reference/ssd';
import { traceBuffer } from '../../trace/events';
import type { Host, Program, RunOptions } from '../program';
import {
  checkSsdRun,
  type PhaseDispatch,
  readSlice,
  type SsdBuffers,
  type SsdPlan,
  ssdBuffers,
  ssdPhaseDispatch,
  ssdPlan,
} from './common';
import { makeSsdInputs, type SsdHostInputs } from './ssdChunked';

/** Ydiag = (L ∘ C Bᵀ) X on the given buffers; `plan` has the chunk Q = T. */
export function ssdQuadraticDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: SsdPlan,
  b: SsdBuffers,
): PhaseDispatch {
  return ssdPhaseDispatch(gpu, scope, plan, 1, b, { c0: 0, c1: 1 });
}

export async function ssdQuadraticGpu(gpu: Gpu, d: SsdDims, x: SsdHostInputs, opts: RunOptions = {}) {
  checkSsdRun(d, d.T, 'ssdQuadratic');
  checkSsdInputs(d, x, 'ssdQuadratic');
  const scope = new BufferScope(gpu, 'ssdQuadratic');
  try {
    const plan = await ssdPlan(gpu, d, d.T);
    const bufs = ssdBuffers(scope, d, d.T, x, null, traceBuffer(scope, 1));
    const { gpuMs, dispatches } = await runDispatches(
      gpu,
      'ssdQuadratic',
      [ssdQuadraticDispatch(gpu, scope, plan, bufs)],
      { time: opts.time },
    );
    const Y = await readSlice(gpu, scope, bufs.Ydiag, 0, d.batch * d.T * d.H * d.P);
    return { Y, gpuMs, dispatches };
  } finally {
    scope.release();
  }
}

export const ssdQuadraticProgram: Program<SsdDims, SsdHostInputs, { Y: Host }> = {
  id: 'ssdQuadratic',
  title: 'SSD quadratic form Y = (L ∘ C Bᵀ) X',
  makeInputs: (p, seed) => makeSsdInputs({ ...p, Q: p.T }, seed),
  reference: (p, x) => ({ Y: ssdQuadratic(p, x) }),
  async run(gpu, p, x, opts = {}) {
    const { Y, gpuMs, dispatches } = await ssdQuadraticGpu(gpu, p, x, opts);
    return { outputs: { Y }, gpuMs, trace: null, dispatches };
  },
  tolerance: 1e-4,
};
