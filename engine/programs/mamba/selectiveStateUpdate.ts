// selectiveStateUpdate: one decode step of the selective SSM on the GPU (Mamba-1 rows, Mamba-2 heads),
// on canonical broadcast inputs (reference/mamba.ts StateUpdateInputs). CPU side: reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import {
  checkStateUpdate,
  type StateUpdateInputs,
  type StateUpdateParams,
  selectiveStateUpdate,
} from '../../reference/mamba';
import { Rng } from '../../util/rng';
import { foldGrid } from './common';
import type { Host, Program } from '../program';

const WG = 64;

export async function selectiveStateUpdateGpu(
  gpu: Gpu,
  p: StateUpdateParams,
  x: StateUpdateInputs,
  time = false,
) {
  checkStateUpdate(p, x);
  const scope = new BufferScope(gpu, 'selectiveStateUpdate');
  try {
    const rows = p.batch * p.H * p.P;
    const hp = p.H * p.P;
    const rowIn = new Float32Array(3 * rows);
    rowIn.set(x.x, 0);
    rowIn.set(x.dt, rows);
    if (x.z) rowIn.set(x.z, 2 * rows);
    const prm = new Float32Array(hp * p.N + 2 * hp);
    prm.set(x.A, 0);
    if (x.Dskip) prm.set(x.Dskip, hp * p.N);
    if (x.dtBias) prm.set(x.dtBias, hp * p.N + hp);
    const bc = new Float32Array(2 * p.batch * p.G * p.N);
    bc.set(x.B, 0);
    bc.set(x.C, p.batch * p.G * p.N);
    const k = await kernel(gpu, {
      label: 'selectiveStateUpdate.step',
      sources: ['common/math.wgsl', 'mamba/selectiveStateUpdate.wgsl'],
      constants: { WG },
    });
    const out = scope.storage('out', rows * 4);
    const newState = scope.storage('newState', rows * p.N * 4);
    const u = (v: number) => ['u32', v] as ['u32', number];
    const { gpuMs } = await runDispatches(
      gpu,
      'selectiveStateUpdate',
      [
        {
          kernel: k,
          bindings: [
            scope.uniform('params', [
              u(p.batch),
              u(p.H),
              u(p.P),
              u(p.N),
              u(p.G),
              u(p.dtSoftplus ? 1 : 0),
              u(x.z ? 1 : 0),
            ]),
            scope.upload('state', Float32Array.from(x.state)),
            scope.upload('rowIn', rowIn),
            scope.upload('prm', prm),
            scope.upload('bc', bc),
            out,
            newState,
          ],
          workgroups: foldGrid(Math.ceil(rows / WG), gpu.limits.maxComputeWorkgroupsPerDimension),
        },
      ],
      { time },
    );
    return { out: await readF32(gpu, out, rows), newState: await readF32(gpu, newState, rows * p.N), gpuMs };
  } finally {
    scope.release();
  }
}

export function makeStateUpdateInputs(p: StateUpdateParams, seed: number): StateUpdateInputs {
  const rng = new Rng(seed);
  const rows = p.batch * p.H * p.P;
  const hp = p.H * p.P;
  return {
    state: rng.normals(rows * p.N),
    x: rng.normals(rows),
    dt: rng.uniforms(rows, -4.5, -2),
    A: Float32Array.from({ length: hp * p.N }, (_, i) => -((i % p.N) + 1)),
    B: rng.normals(p.batch * p.G * p.N),
    C: rng.normals(p.batch * p.G * p.N),
    Dskip: rng.normals(hp),
    z: rng.normals(rows),
    dtBias: rng.uniforms(hp, -0.5, 0.5),
  };
}

export const selectiveStateUpdateProgram: Program<
  StateUpdateParams,
  StateUpdateInputs,
  Record<string, Host>
> = {
  id: 'selectiveStateUpdate',
  title: 'Selective state update (one decode step)',
  makeInputs: makeStateUpdateInputs,
  reference: (p, x) => selectiveStateUpdate(p, x),
  async run(gpu, p, x, opts = {}) {
    const r = await selectiveStateUpdateGpu(gpu, p, x, opts.time);
    return { outputs: { out: r.out, newState: r.newState }, gpuMs: r.gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
