// ssdQuadratic: the dual (attention-like) form of SSD over the whole sequence, Y = (L ∘ C Bᵀ) X.
// It is the diagonal-block kernel of the chunked algorithm with a single chunk of length T.

import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { checkSsdInputs, type SsdDims, ssdQuadratic } from '../../reference/ssd';
import { traceBuffer } from '../../trace/events';
import { makeSsdInputs, readSlice, ssdBuffers, type SsdHostInputs } from './ssdChunked';
import { checkSsdRun, phaseDispatch, ssdKernels, ssdTiles, ssdUniform } from './common';
import type { Host, Program } from '../program';

export async function ssdQuadraticGpu(gpu: Gpu, d: SsdDims, x: SsdHostInputs, opts: { time?: boolean } = {}) {
  checkSsdRun(d, d.T, 'ssdQuadratic');
  checkSsdInputs(d, x, 'ssdQuadratic');
  const scope = new BufferScope(gpu, 'ssdQuadratic');
  try {
    const tiles = ssdTiles(d, d.T);
    const k = await ssdKernels(gpu, 'ssdQuadratic', tiles, false);
    const bufs = ssdBuffers(scope, d, d.T, x, null, traceBuffer(scope, 1));
    const uni = ssdUniform(scope, 'params', d, d.T, 0, 1, false);
    const { gpuMs } = await runDispatches(
      gpu,
      'ssdQuadratic',
      [phaseDispatch(1, k, tiles, d, d.T, uni, bufs, 0, 1)],
      opts,
    );
    const Y = await readSlice(gpu, scope, bufs.Ydiag, 0, d.batch * d.T * d.H * d.P);
    return { Y, gpuMs };
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
    const { Y, gpuMs } = await ssdQuadraticGpu(gpu, p, x, opts);
    return { outputs: { Y }, gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
