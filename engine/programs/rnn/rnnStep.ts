// rnnStep: one Elman cell step h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) for a batch on the GPU
// (torch.nn.RNNCell). The same dispatch is what the RNN stepper runs once per layer and time step.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, type DispatchRecord, type Kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import type { Uniform } from '../../gpu/uniforms';
import { type Nonlinearity, rnnStep } from '../../reference/rnn';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import {
  type CellStepDims,
  cellStepDispatch,
  cellStepKernel,
  checkSizes,
  checkWeights,
  type RnnWeights,
} from './common';

export const rnnStepKernel = (gpu: Gpu, nl: Nonlinearity) =>
  cellStepKernel(gpu, 'rnnStep', { RELU: nl === 'relu' ? 1 : 0 });

export type RnnStepDims = CellStepDims;

export interface RnnStepBuffers {
  x: GPUBuffer; // rows of in values at xOff + n·xStride
  h: GPUBuffer; // (b, hidden) h
  Wih: GPUBuffer; // (hidden, in)
  Whh: GPUBuffer; // (hidden, hidden)
  bih: GPUBuffer | null; // (hidden,)
  bhh: GPUBuffer | null; // (hidden,)
  hOut: GPUBuffer; // (b, hidden) h'
}

/** The dispatch for one cell step on given buffers; `params.set({xOff})` moves it to another time step. */
export const rnnStepDispatch: (
  k: Kernel,
  scope: BufferScope,
  dims: CellStepDims,
  buf: RnnStepBuffers,
) => Dispatch & { params: Uniform } = cellStepDispatch;

export interface RnnStepParams {
  b: number;
  inSize: number;
  hidden: number;
  nonlinearity?: Nonlinearity;
}
export interface RnnStepInputs extends RnnWeights {
  x: Float32Array; // (b, in)
  h: Float32Array; // (b, hidden)
}

export async function rnnStepGpu(
  gpu: Gpu,
  p: RnnStepParams,
  x: RnnStepInputs,
  opts: RunOptions = {},
): Promise<{ hNew: Float32Array; gpuMs: number | null; dispatches: DispatchRecord[] }> {
  const label = 'rnnStep';
  const { b, inSize, hidden } = p;
  checkSizes(label, { b, inSize, hidden });
  checkWeights(label, x, inSize, hidden);
  if (x.x.length !== b * inSize || x.h.length !== b * hidden)
    throw new EngineError(
      label,
      `x must be (b, in) = (${b}, ${inSize}) and h (b, hidden) = (${b}, ${hidden})`,
    );
  const scope = new BufferScope(gpu, label);
  try {
    const k = await rnnStepKernel(gpu, p.nonlinearity ?? 'tanh');
    const hOut = scope.storage('hNew', b * hidden * 4);
    const d = rnnStepDispatch(
      k,
      scope,
      { b, inSize, hidden, xOff: 0, xStride: inSize },
      {
        x: scope.upload('x', x.x),
        h: scope.upload('h', x.h),
        Wih: scope.upload('Wih', x.Wih),
        Whh: scope.upload('Whh', x.Whh),
        bih: x.bih ? scope.upload('bih', x.bih) : null,
        bhh: x.bhh ? scope.upload('bhh', x.bhh) : null,
        hOut,
      },
    );
    const { gpuMs, dispatches } = await runDispatches(gpu, label, [d], { time: opts.time });
    return { hNew: await readF32(gpu, hOut, b * hidden), gpuMs, dispatches };
  } finally {
    scope.release();
  }
}

export const rnnStepProgram: Program<RnnStepParams, RnnStepInputs, { hNew: Float32Array | Float64Array }> = {
  id: 'rnnStep',
  title: 'Elman RNN cell, one step',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    const s = 1 / Math.sqrt(p.hidden);
    return {
      x: rng.normals(p.b * p.inSize),
      h: rng.normals(p.b * p.hidden),
      Wih: rng.normals(p.hidden * p.inSize, s),
      Whh: rng.normals(p.hidden * p.hidden, s),
      bih: rng.normals(p.hidden, s),
      bhh: rng.normals(p.hidden, s),
    };
  },
  reference: (p, x) => ({
    hNew: rnnStep(
      x.x,
      x.h,
      { Wih: x.Wih, Whh: x.Whh, bih: x.bih, bhh: x.bhh },
      p.b,
      p.inSize,
      p.hidden,
      p.nonlinearity,
    ),
  }),
  async run(gpu, p, x, opts = {}) {
    const { hNew, gpuMs, dispatches } = await rnnStepGpu(gpu, p, x, opts);
    return { outputs: { hNew }, gpuMs, trace: null, dispatches };
  },
  tolerance: 1e-4,
};
