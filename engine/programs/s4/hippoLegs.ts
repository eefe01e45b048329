// hippoLegs: the HiPPO-LegS matrices A (N,N), B (N,) filled on the GPU from the closed form, one invocation
// per entry of A over a folded grid. The dispatch builder is shared with the S4 stage; no NPLR form here.

import type { Gpu } from '../../gpu/device';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import { hippoLegs } from '../../reference/hippo';
import type { Program, RunOptions } from '../program';
import { checkN, runResult } from './common';

export interface HippoParams {
  N: number;
}
export type HippoOutputs = { A: Float32Array | Float64Array; B: Float32Array | Float64Array };

const WG = 64;

export function hippoLegsKernel(gpu: Gpu) {
  return kernel(gpu, {
    label: 'hippoLegs.fill',
    sources: ['common/grid.wgsl', 's4/hippoLegs.wgsl'],
    constants: { WG },
  });
}

/** Dispatch filling new buffers A (N,N) and B (N,) owned by `scope`. */
export async function hippoLegsDispatch(gpu: Gpu, scope: BufferScope, N: number) {
  checkN('hippoLegs', N);
  const A = scope.storage('A', N * N * 4);
  const B = scope.storage('B', N * 4);
  const k = await hippoLegsKernel(gpu);
  const p = uniformFor(scope, k, { N });
  const grid = gridForInvocations(gpu, 'hippoLegs', N * N, WG);
  const dispatch: Dispatch = { kernel: k, bindings: { p: p.buffer, A, B }, workgroups: grid.workgroups };
  return { dispatch, A, B };
}

export async function hippoLegsGpu(gpu: Gpu, N: number, opts: RunOptions = {}) {
  return inScope(gpu, 'hippoLegs', async (scope) => {
    const d = await hippoLegsDispatch(gpu, scope, N);
    const run = await runDispatches(gpu, 'hippoLegs', [d.dispatch], opts);
    return { A: await readF32(gpu, d.A, N * N), B: await readF32(gpu, d.B, N), ...run };
  });
}

export const hippoLegsProgram: Program<HippoParams, Record<string, never>, HippoOutputs> = {
  id: 'hippoLegs',
  title: 'HiPPO-LegS matrices A, B',
  makeInputs: () => ({}),
  reference: (p) => hippoLegs(p.N),
  async run(gpu, p, _x, opts = {}) {
    const r = await hippoLegsGpu(gpu, p.N, opts);
    return runResult({ A: r.A, B: r.B }, r);
  },
  tolerance: 1e-4,
};
