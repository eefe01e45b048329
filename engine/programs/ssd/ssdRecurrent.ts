// ssdRecurrent: SSD as its linear recurrence h_t = e^{A_t} h_{t−1} + X_t B_tᵀ, y_t = h_t C_t, one
// workgroup per (p, head, batch) stepping through T in order (the grid folded past 65,535 workgroups).
// The baseline the chunked form is checked on.

import type { Gpu } from '../../gpu/device';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { checkSsdInputs, type SsdDims, ssdRecurrent } from '../../reference/ssd';
import type { Program, RunOptions } from '../program';
import { checkSsdRun, perWorkgroupSources, prelude, readSlice, ssdParams } from './common';
import { makeSsdInputs, type SsdHostInputs, type SsdOutputs } from './ssdChunked';

const WG = 64;

export function ssdRecurrentKernel(gpu: Gpu, N: number) {
  return kernel(gpu, {
    label: 'ssdRecurrent.scan',
    sources: perWorkgroupSources('ssdRecurrent', false),
    prelude: prelude({ WG, NPT: Math.ceil(N / WG) }),
  });
}

export interface SsdRecurrentBuffers {
  X: GPUBuffer; // (batch, T, H, P)
  A: GPUBuffer; // (batch, T, H)
  B: GPUBuffer; // (batch, T, G, N)
  C: GPUBuffer; // (batch, T, G, N)
  init: GPUBuffer; // (batch, H, P, N), or a placeholder when !hasInit
  Y: GPUBuffer; // (batch, T, H, P)
  finalState: GPUBuffer; // (batch, H, P, N)
}

/** The whole recurrence on the given buffers. */
export async function ssdRecurrentDispatch(
  gpu: Gpu,
  scope: BufferScope,
  d: SsdDims,
  b: SsdRecurrentBuffers,
  hasInit: boolean,
): Promise<Dispatch> {
  const k = await ssdRecurrentKernel(gpu, d.N);
  const grid = gridFor(gpu, k.label, d.P * d.H * d.batch);
  const params = uniformFor(scope, k, ssdParams(d, d.T, { c0: 0, c1: 1, hasInit, count: grid.count }));
  return { kernel: k, bindings: { prm: params.buffer, ...b }, workgroups: grid.workgroups };
}

export async function ssdRecurrentGpu(gpu: Gpu, d: SsdDims, x: SsdHostInputs, opts: RunOptions = {}) {
  checkSsdRun(d, 1, 'ssdRecurrent');
  checkSsdInputs(d, x, 'ssdRecurrent');
  const scope = new BufferScope(gpu, 'ssdRecurrent');
  try {
    const yn = d.batch * d.T * d.H * d.P;
    const sn = d.batch * d.H * d.P * d.N;
    const b: SsdRecurrentBuffers = {
      X: scope.upload('X', x.X),
      A: scope.upload('A', x.A),
      B: scope.upload('B', x.B),
      C: scope.upload('C', x.C),
      init: x.init ? scope.upload('init', x.init) : scope.storage('init', 4),
      Y: scope.storage('Y', yn * 4),
      finalState: scope.storage('finalState', sn * 4),
    };
    const dispatch = await ssdRecurrentDispatch(gpu, scope, d, b, !!x.init);
    const { gpuMs, dispatches } = await runDispatches(gpu, 'ssdRecurrent', [dispatch], { time: opts.time });
    return {
      Y: await readSlice(gpu, scope, b.Y, 0, yn),
      finalState: await readSlice(gpu, scope, b.finalState, 0, sn),
      gpuMs,
      dispatches,
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
    const { Y, finalState, gpuMs, dispatches } = await ssdRecurrentGpu(gpu, p, x, opts);
    return { outputs: { Y, finalState }, gpuMs, trace: null, dispatches };
  },
  tolerance: 1e-4,
};
