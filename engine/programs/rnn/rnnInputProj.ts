// The input projection P = x W_ihᵀ + b_ih + b_hh of a recurrent layer for all T steps at once
// (shaders/rnn/rnnInputProj.wgsl): the parallel half of every sequence program of the family. A dispatch
// builder, not a program: no golden function computes it alone. The Elman RNN uses it with width =
// hidden; an LSTM uses it unchanged with width = 4·hidden (its W_ih stacks the four gates' rows).

import type { Gpu } from '../../gpu/device';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import { gridFor } from '../../gpu/grid';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFrom } from '../../gpu/uniforms';
import type { TraceTable } from '../../trace/tensors';
import { biasBindings } from './common';

export const INPUT_PROJ_WG = 64;
/** Input-row block of rnnInputProj.wgsl (XB): one x load event per block. */
export const INPUT_PROJ_XB = 1024;

export interface InputProjDims {
  T: number;
  b: number;
  inSize: number;
  /** Columns of P: hidden (Elman) or 4·hidden (LSTM). */
  width: number;
  batchFirst: boolean;
  /** Recorded as aux in the trace. */
  layer: number;
  /** Trace id of this dispatch's first workgroup. */
  wgBase: number;
}

export interface InputProjBuffers {
  x: GPUBuffer; // (T, b, in) or (b, T, in) when batchFirst
  WihT: GPUBuffer; // (in, width) W_ihᵀ
  bih: GPUBuffer | null; // (width,)
  bhh: GPUBuffer | null; // (width,)
  P: GPUBuffer; // (T, b, width) out
  trace: GPUBuffer;
}

/** Workgroups of one projection dispatch (also the trace ids it takes): one per (row, tile of WG columns). */
export const inputProjWorkgroups = (d: Pick<InputProjDims, 'T' | 'b' | 'width'>): number =>
  Math.ceil(d.width / INPUT_PROJ_WG) * d.T * d.b;

/** Trace events of one projection dispatch: per workgroup, the x blocks plus WihT, bih, bhh and P. */
export const inputProjEvents = (d: Pick<InputProjDims, 'T' | 'b' | 'width' | 'inSize'>): number =>
  inputProjWorkgroups(d) * (Math.ceil(d.inSize / INPUT_PROJ_XB) + 4);

/** The pipeline; `table` is the calling program's trace table (it names x, WihT, bih, bhh and P). */
export function rnnInputProjKernel(gpu: Gpu, label: string, table: TraceTable, traced: boolean) {
  return kernel(gpu, {
    label: `${label}.inputProj`,
    sources: ['common/trace.wgsl', 'common/grid.wgsl', 'rnn/rnnInputProj.wgsl'],
    constants: { WG: INPUT_PROJ_WG, TRACE: traced ? 1 : 0 },
    trace: table,
  });
}

/** The projection of one layer on given buffers; its uniform lives in `scope`. */
export function rnnInputProjDispatch(
  k: Kernel,
  scope: BufferScope,
  d: InputProjDims,
  buf: InputProjBuffers,
): Dispatch {
  const grid = gridFor(scope.gpu, k.label, inputProjWorkgroups(d));
  const params = uniformFrom(scope, k, d, {
    hasBih: buf.bih ? 1 : 0,
    hasBhh: buf.bhh ? 1 : 0,
    count: grid.count,
  });
  return {
    kernel: k,
    bindings: {
      p: params.buffer,
      x: buf.x,
      WihT: buf.WihT,
      ...biasBindings(scope, buf.bih, buf.bhh),
      P: buf.P,
      trace: buf.trace,
    },
    workgroups: grid.workgroups,
  };
}
