// causalConv1dUpdate: one decode step of the depthwise causal conv1d on the GPU (rolling state of
// length S >= W-1, no circular buffer). CPU side: reference/causalConv1d.ts causalConv1dUpdate.

import type { Gpu } from '../../gpu/device';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { type ConvUpdateParams, causalConv1dUpdate } from '../../reference/causalConv1d';
import { Rng } from '../../util/rng';
import { foldGrid } from './common';
import type { Host, Program } from '../program';

const WG = 64;

export interface ConvUpdateInputs {
  x: ArrayLike<number>; // (batch, D)
  convState: ArrayLike<number>; // (batch, D, S)
  weight: ArrayLike<number>; // (D, W)
  bias?: ArrayLike<number>; // (D,)
}

export async function causalConv1dUpdateGpu(
  gpu: Gpu,
  p: ConvUpdateParams,
  x: ConvUpdateInputs,
  time = false,
) {
  const rows = p.batch * p.D;
  if (p.S < p.W - 1)
    throw new Error(`causalConv1dUpdate: state length ${p.S} is shorter than W-1=${p.W - 1}`);
  if (x.x.length !== rows || x.convState.length !== rows * p.S || x.weight.length !== p.D * p.W)
    throw new Error('causalConv1dUpdate: inconsistent shapes of x, conv_state and weight');
  const scope = new BufferScope(gpu, 'causalConv1dUpdate');
  try {
    const k = await kernel(gpu, {
      label: 'causalConv1dUpdate.step',
      sources: ['common/math.wgsl', 'mamba/causalConv1dUpdate.wgsl'],
      constants: { WG },
    });
    const out = scope.storage('out', rows * 4);
    const newState = scope.storage('newConvState', rows * p.S * 4);
    const u = (v: number) => ['u32', v] as ['u32', number];
    const { gpuMs } = await runDispatches(
      gpu,
      'causalConv1dUpdate',
      [
        {
          kernel: k,
          bindings: [
            scope.uniform('params', [u(rows), u(p.D), u(p.W), u(p.S), u(p.silu ? 1 : 0)]),
            scope.upload('x', Float32Array.from(x.x)),
            scope.upload('convState', Float32Array.from(x.convState)),
            scope.upload('weight', Float32Array.from(x.weight)),
            scope.upload('bias', x.bias ? Float32Array.from(x.bias) : new Float32Array(p.D)),
            out,
            newState,
          ],
          workgroups: foldGrid(Math.ceil(rows / WG), gpu.limits.maxComputeWorkgroupsPerDimension),
        },
      ],
      { time },
    );
    return {
      out: await readF32(gpu, out, rows),
      newConvState: await readF32(gpu, newState, rows * p.S),
      gpuMs,
    };
  } finally {
    scope.release();
  }
}

export const causalConv1dUpdateProgram: Program<ConvUpdateParams, ConvUpdateInputs, Record<string, Host>> = {
  id: 'causalConv1dUpdate',
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
  async run(gpu, p, x, opts = {}) {
    const r = await causalConv1dUpdateGpu(gpu, p, x, opts.time);
    return { outputs: { out: r.out, newConvState: r.newConvState }, gpuMs: r.gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
