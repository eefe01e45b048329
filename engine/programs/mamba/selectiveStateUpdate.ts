// selectiveStateUpdate: one decode step of the selective SSM on the GPU (Mamba-1 rows, Mamba-2 heads),
// on canonical broadcast inputs (reference/mamba.ts StateUpdateInputs). CPU side: reference/mamba.ts.

import type { Gpu } from '../../gpu/device';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFrom } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import {
  checkStateUpdate,
  type StateUpdateInputs,
  type StateUpdateParams,
  selectiveStateUpdate,
} from '../../reference/mamba';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { f32, runPicking } from './common';

const WG = 64;
const LABEL = 'selectiveStateUpdate';

/** The step's inputs and outputs on the device (packed: at most 8 storage buffers per kernel). */
export interface StateUpdateBuffers {
  state: GPUBuffer; // (batch, H, P, N)
  /** x | dt | z, each (batch, H, P); z only when `z`. */
  rowIn: GPUBuffer;
  /** A (H, P, N) | D (H, P) | dt_bias (H, P); absent D and bias are zeros. */
  chan: GPUBuffer;
  /** B (batch, G, N) | C (batch, G, N). */
  bc: GPUBuffer;
  /** rowIn carries z: out is gated by silu(z). */
  z: boolean;
  out: GPUBuffer; // (batch, H, P)
  newState: GPUBuffer; // (batch, H, P, N)
}

export function selectiveStateUpdateKernel(gpu: Gpu): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.step`,
    sources: ['common/math.wgsl', 'common/grid.wgsl', 'mamba/selectiveStateUpdate.wgsl'],
    constants: { WG },
  });
}

/** One invocation per (b, h, p) on buffers it is given. */
export async function selectiveStateUpdateDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: StateUpdateParams,
  b: StateUpdateBuffers,
): Promise<Dispatch> {
  const k = await selectiveStateUpdateKernel(gpu);
  const params = uniformFrom(scope, k, p, { softplusOn: Number(p.dtSoftplus), hasZ: Number(b.z) });
  const { state, rowIn, chan, bc, out, newState } = b;
  return {
    kernel: k,
    bindings: { p: params.buffer, state, rowIn, chan, bc, outBuf: out, newState },
    workgroups: gridForInvocations(gpu, LABEL, p.batch * p.H * p.P, WG).workgroups,
  };
}

/** Uploads the host inputs into the packed buffers and makes the outputs. */
export function packStateUpdate(
  scope: BufferScope,
  p: StateUpdateParams,
  x: StateUpdateInputs,
): StateUpdateBuffers {
  checkStateUpdate(p, x);
  const rows = p.batch * p.H * p.P;
  const hp = p.H * p.P;
  const rowIn = new Float32Array(3 * rows);
  rowIn.set(x.x, 0);
  rowIn.set(x.dt, rows);
  if (x.z) rowIn.set(x.z, 2 * rows);
  const chan = new Float32Array(hp * p.N + 2 * hp);
  chan.set(x.A, 0);
  if (x.Dskip) chan.set(x.Dskip, hp * p.N);
  if (x.dtBias) chan.set(x.dtBias, hp * p.N + hp);
  const bc = new Float32Array(2 * p.batch * p.G * p.N);
  bc.set(x.B, 0);
  bc.set(x.C, p.batch * p.G * p.N);
  return {
    state: scope.upload('state', f32(x.state)),
    rowIn: scope.upload('rowIn', rowIn),
    chan: scope.upload('chan', chan),
    bc: scope.upload('bc', bc),
    z: x.z !== undefined,
    out: scope.storage('out', rows * 4),
    newState: scope.storage('newState', rows * p.N * 4),
  };
}

export async function selectiveStateUpdateGpu(
  gpu: Gpu,
  p: StateUpdateParams,
  x: StateUpdateInputs,
  opts: RunOptions = {},
) {
  const rows = p.batch * p.H * p.P;
  return runAndRead<'out' | 'newState'>(
    gpu,
    LABEL,
    async (scope) => {
      const b = packStateUpdate(scope, p, x);
      return {
        dispatches: [await selectiveStateUpdateDispatch(gpu, scope, p, b)],
        read: { out: [b.out, rows], newState: [b.newState, rows * p.N] },
      };
    },
    opts.time,
  );
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
  id: LABEL,
  title: 'Selective state update (one decode step)',
  makeInputs: makeStateUpdateInputs,
  reference: (p, x) => selectiveStateUpdate(p, x),
  run: runPicking(['out', 'newState'], selectiveStateUpdateGpu),
  tolerance: 1e-4,
};
