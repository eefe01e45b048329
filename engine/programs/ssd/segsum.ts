// segsum: the stable segment sum of Mamba-2's ssd_minimal, x (R, T) -> (R, T, T) with −inf above the
// diagonal; one invocation per output row walks a running masked sum. Leading axes are flattened into R.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { segsum } from '../../reference/ssd';
import { Rng } from '../../util/rng';
import { readSlice } from './ssdChunked';
import type { Host, Program } from '../program';

export interface SegsumParams {
  R: number;
  T: number;
}

const WG = 64;
const MAX_WG = 65535;

export async function segsumGpu(gpu: Gpu, p: SegsumParams, x: Float32Array, opts: { time?: boolean } = {}) {
  if (!Number.isInteger(p.R) || !Number.isInteger(p.T) || p.R < 1 || p.T < 1) {
    throw new EngineError('segsum', `R and T must be integers >= 1, got R=${p.R}, T=${p.T}`);
  }
  if (x.length !== p.R * p.T)
    throw new EngineError('segsum', `x has ${x.length} values, want R·T = ${p.R * p.T}`);
  const scope = new BufferScope(gpu, 'segsum');
  try {
    const k = await kernel(gpu, { label: 'segsum.rows', sources: ['ssd/segsum.wgsl'], constants: { WG } });
    const n = p.R * p.T * p.T;
    const out = scope.storage('out', n * 4);
    const y = Math.min(p.R, MAX_WG);
    const { gpuMs } = await runDispatches(
      gpu,
      'segsum',
      [
        {
          kernel: k,
          bindings: [
            scope.uniform('params', [
              ['u32', p.R],
              ['u32', p.T],
            ]),
            scope.upload('x', x),
            out,
          ],
          workgroups: [Math.ceil(p.T / WG), y, Math.ceil(p.R / y)],
        },
      ],
      opts,
    );
    return { out: await readSlice(gpu, scope, out, 0, n), gpuMs };
  } finally {
    scope.release();
  }
}

export const segsumProgram: Program<SegsumParams, { x: Float32Array }, { out: Host }> = {
  id: 'segsum',
  title: 'Stable segment sum of log-decays',
  makeInputs: (p, seed) => ({ x: new Rng(seed).uniforms(p.R * p.T, -1, 0) }),
  reference: (p, x) => ({ out: segsum(x.x, p.R, p.T) }),
  async run(gpu, p, x, opts = {}) {
    const { out, gpuMs } = await segsumGpu(gpu, p, x.x, opts);
    return { outputs: { out }, gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
