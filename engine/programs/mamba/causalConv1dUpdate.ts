// causalConv1dUpdate: one decode step of the depthwise causal conv1d on the GPU (rolling state of
// length S >= W-1, no circular buffer). CPU side: reference/causalConv1d.ts causalConv1dUpdate.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import { type ConvUpdateParams, causalConv1dUpdate } from '../../reference/causalConv1d';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { f32, runPicking } from './common';

const WG = 64;
const LABEL = 'causalConv1dUpdate';

export interface ConvUpdateInputs {
  x: ArrayLike<number>; // (batch, D)
  convState: ArrayLike<number>; // (batch, D, S)
  weight: ArrayLike<number>; // (D, W)
  bias?: ArrayLike<number>; // (D,)
}

export interface ConvUpdateBuffers {
  x: GPUBuffer; // (batch, D)
  convState: GPUBuffer; // (batch, D, S)
  weight: GPUBuffer; // (D, W)
  bias: GPUBuffer; // (D,), zeros when absent
  out: GPUBuffer; // (batch, D)
  newState: GPUBuffer; // (batch, D, S)
}

export function causalConv1dUpdateKernel(gpu: Gpu): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.step`,
    sources: [
      'common/math.wgsl',
      'common/grid.wgsl',
      'mamba/causalConv1dUpdate.wgsl',
      'common/perElement.wgsl',
    ],
    constants: { WG },
  });
}

/** One invocation per row (b, d) on buffers it is given. */
export async function causalConv1dUpdateDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: ConvUpdateParams,
  b: ConvUpdateBuffers,
): Promise<Dispatch> {
  if (p.S < p.W - 1) throw new EngineError(LABEL, `state length ${p.S} is shorter than W-1=${p.W - 1}`);
  const rows = p.batch * p.D;
  const k = await causalConv1dUpdateKernel(gpu);
  const params = uniformFor(scope, k, { rows, D: p.D, W: p.W, S: p.S, siluOn: p.silu ? 1 : 0 });
  const { x, convState, weight, bias, out, newState } = b;
  return {
    kernel: k,
    bindings: { p: params.buffer, x, convState, weight, bias, outBuf: out, newState },
    workgroups: gridForInvocations(gpu, LABEL, rows, WG).workgroups,
  };
}

export async function causalConv1dUpdateGpu(
  gpu: Gpu,
  p: ConvUpdateParams,
  x: ConvUpdateInputs,
  opts: RunOptions = {},
) {
  const rows = p.batch * p.D;
  if (x.x.length !== rows || x.convState.length !== rows * p.S || x.weight.length !== p.D * p.W)
    throw new EngineError(LABEL, 'inconsistent shapes of x, conv_state and weight');
  return runAndRead<'out' | 'newConvState'>(
    gpu,
    LABEL,
    async (scope) => {
      const b: ConvUpdateBuffers = {
        ...scope.uploadAll({ x: x.x, convState: x.convState, weight: x.weight }),
        bias: scope.upload('bias', f32(x.bias, p.D)),
        out: scope.storage('out', rows * 4),
        newState: scope.storage('newConvState', rows * p.S * 4),
      };
      return {
        dispatches: [await causalConv1dUpdateDispatch(gpu, scope, p, b)],
        read: { out: [b.out, rows], newConvState: [b.newState, rows * p.S] },
      };
    },
    opts.time,
  );
}

export const causalConv1dUpdateProgram: Program<ConvUpdateParams, ConvUpdateInputs, Record<string, Host>> = {
  id: LABEL,
  title: 'Causal conv1d decode step',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return {
      x: rng.normals(p.batch * p.D),
      convState: rng.normals(p.batch * p.D * p.S),
      weight: rng.normals(p.D * p.W, 0.5),
      bias: rng.normals(p.D, 0.1),
    };
  },
  reference: (p, x) => causalConv1dUpdate(p, x.x, x.convState, x.weight, x.bias),
  run: runPicking(['out', 'newConvState'], causalConv1dUpdateGpu),
  tolerance: 1e-4,
};
