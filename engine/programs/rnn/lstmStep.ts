// The LSTM cell step (torch.nn.LSTMCell) as a dispatch builder (shaders/rnn/lstmStep.wgsl): h', c' and the
// four activated gates of one time step for a batch. Not a program of its own: the LSTM stepper runs it
// once per layer and step, and no golden function computes a lone cell.

import type { Gpu } from '../../gpu/device';
import type { Dispatch, Kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import type { Uniform } from '../../gpu/uniforms';
import { type CellStepDims, cellStepDispatch, cellStepKernel } from './common';

export const lstmStepKernel = (gpu: Gpu) => cellStepKernel(gpu, 'lstmStep');

export interface LstmStepBuffers {
  x: GPUBuffer; // rows of in values at xOff + n·xStride
  h: GPUBuffer; // (b, H) h
  c: GPUBuffer; // (b, H) c
  Wih: GPUBuffer; // (4H, in)
  Whh: GPUBuffer; // (4H, H)
  bih: GPUBuffer | null; // (4H,)
  bhh: GPUBuffer | null; // (4H,)
  hOut: GPUBuffer; // (b, H) h'
  cOut: GPUBuffer; // (b, H) c'
  gates: GPUBuffer; // (b, 4H) σ(i), σ(f), tanh(g), σ(o)
}

/** The dispatch for one cell step on given buffers; `params.set({xOff})` moves it to another time step. */
export const lstmStepDispatch: (
  k: Kernel,
  scope: BufferScope,
  dims: CellStepDims,
  buf: LstmStepBuffers,
) => Dispatch & { params: Uniform } = cellStepDispatch;
