// hippoLegs: the HiPPO-LegS matrices A (N,N), B (N,) filled on the GPU from the closed form.
// The dispatch builder is shared with the S4 stage; no NPLR form here.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { hippoLegs } from '../../reference/hippo';
import type { Program } from '../program';

export interface HippoParams {
  N: number;
}
export type HippoOutputs = { A: Float32Array | Float64Array; B: Float32Array | Float64Array };

const WG = 64;

export function checkN(label: string, N: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(N) || N < 1 || N > max)
    throw new EngineError(label, `N must be an integer in 1..${max} (got ${N})`);
}

/** Dispatch filling new buffers A (N,N) and B (N,) owned by `scope`. */
export async function hippoLegsDispatch(gpu: Gpu, scope: BufferScope, N: number) {
  checkN('hippoLegs', N);
  const A = scope.storage('A', N * N * 4);
  const B = scope.storage('B', N * 4);
  const groups = Math.ceil((N * N) / WG);
  const gx = Math.min(groups, gpu.limits.maxComputeWorkgroupsPerDimension);
  const gy = Math.ceil(groups / gx);
  const k = await kernel(gpu, { label: 'hippoLegs.fill', sources: ['s4/hippoLegs.wgsl'], constants: { WG } });
  const params = scope.uniform('params', [
    ['u32', N],
    ['u32', gx * WG],
  ]);
  const dispatch: Dispatch = { kernel: k, bindings: [params, A, B], workgroups: [gx, gy] };
  return { dispatch, A, B };
}

export async function hippoLegsGpu(gpu: Gpu, N: number, time = false) {
  const scope = new BufferScope(gpu, 'hippoLegs');
  try {
    const d = await hippoLegsDispatch(gpu, scope, N);
    const { gpuMs } = await runDispatches(gpu, 'hippoLegs', [d.dispatch], { time });
    return { A: await readF32(gpu, d.A, N * N), B: await readF32(gpu, d.B, N), gpuMs };
  } finally {
    scope.release();
  }
}

export const hippoLegsProgram: Program<HippoParams, Record<string, never>, HippoOutputs> = {
  id: 'hippoLegs',
  title: 'HiPPO-LegS matrices A, B',
  makeInputs: () => ({}),
  reference: (p) => hippoLegs(p.N),
  async run(gpu, p, _x, opts = {}) {
    const { A, B, gpuMs } = await hippoLegsGpu(gpu, p.N, opts.time);
    return { outputs: { A, B }, gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
