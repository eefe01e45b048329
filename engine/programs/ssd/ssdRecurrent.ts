// ssdRecurrent: SSD as its linear recurrence h_t = e^{A_t} h_{t−1} + X_t B_tᵀ, y_t = h_t C_t, one
// workgroup per (p, head, batch) stepping through T in order. The baseline the chunked form is checked on.

import type { Gpu } from '../../gpu/device';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { checkSsdInputs, type SsdDims, ssdRecurrent } from '../../reference/ssd';
import { makeSsdInputs, readSlice, type SsdHostInputs, type SsdOutputs } from './ssdChunked';
import { checkSsdRun, ssdUniform } from './common';
import type { Program } from '../program';

const WG = 64;

export async function ssdRecurrentGpu(gpu: Gpu, d: SsdDims, x: SsdHostInputs, opts: { time?: boolean } = {}) {
  checkSsdRun(d, 1, 'ssdRecurrent');
  checkSsdInputs(d, x, 'ssdRecurrent');
  const scope = new BufferScope(gpu, 'ssdRecurrent');
  try {
    const k = await kernel(gpu, {
      label: 'ssdRecurrent.scan',
      sources: ['ssd/ssdCommon.wgsl', 'ssd/ssdRecurrent.wgsl'],
      prelude: `const WG: u32 = ${WG}u;\nconst NPT: u32 = ${Math.ceil(d.N / WG)}u;\n`,
    });
    const yn = d.batch * d.T * d.H * d.P;
    const sn = d.batch * d.H * d.P * d.N;
    const Y = scope.storage('Y', yn * 4);
    const fin = scope.storage('finalState', sn * 4);
    const { gpuMs } = await runDispatches(
      gpu,
      'ssdRecurrent',
      [
        {
          kernel: k,
          bindings: [
            ssdUniform(scope, 'params', d, d.T, 0, 1, !!x.init),
            scope.upload('X', x.X),
            scope.upload('A', x.A),
            scope.upload('B', x.B),
            scope.upload('C', x.C),
            x.init ? scope.upload('init', x.init) : scope.storage('init', 4),
            Y,
            fin,
          ],
          workgroups: [d.P, d.H, d.batch],
        },
      ],
      opts,
    );
    return {
      Y: await readSlice(gpu, scope, Y, 0, yn),
      finalState: await readSlice(gpu, scope, fin, 0, sn),
      gpuMs,
    };
  } finally {
    scope.release();
  }
}

export const ssdRecurrentProgram: Program<SsdDims & { withInit?: boolean }, SsdHostInputs, SsdOutputs> = {
  id: 'ssdRecurrent',
  title: 'SSD recurrence h_t = e^{A_t} h_{t−1} + X_t B_tᵀ',
  makeInputs: (p, seed) => makeSsdInputs({ ...p, Q: p.T }, seed),
  reference: (p, x) => ssdRecurrent(p, x),
  async run(gpu, p, x, opts = {}) {
    const { Y, finalState, gpuMs } = await ssdRecurrentGpu(gpu, p, x, opts);
    return { outputs: { Y, finalState }, gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
