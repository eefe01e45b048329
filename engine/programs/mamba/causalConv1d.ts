// causalConv1d: the Mamba block's depthwise causal conv1d on the GPU, with optional bias, initial
// states, final states and silu, optionally traced. CPU side: reference/causalConv1d.ts.

import type { Gpu } from '../../gpu/device';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import {
  type CausalConv1dInputs,
  type CausalConv1dParams,
  causalConv1d,
  checkCausalConv1d,
} from '../../reference/causalConv1d';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { f32, runPicking } from './common';

/** Trace tensors of shaders/mamba/causalConv1d.wgsl. */
export const CONV1D_TRACE = traceTable(['x', 'weight', 'bias', 'initialStates', 'out', 'finalStates']);
export const CONV1D_WG = 64;
const WG = CONV1D_WG;
const LABEL = 'causalConv1d';
/** Trace events per workgroup (one tile of one row). */
const EVENTS_PER_TILE = 6;

/** Tiles of WG positions per row: the outputs 0..L-1 and the final-state positions L..L+W-2. */
export const conv1dTiles = (p: CausalConv1dParams): number => Math.ceil((p.L + p.W - 1) / WG);

/** Trace records a traced run makes. */
export const conv1dTraceCapacity = (p: CausalConv1dParams): number =>
  EVENTS_PER_TILE * p.batch * p.D * conv1dTiles(p);

export interface Conv1dBuffers {
  x: GPUBuffer; // (batch, D, L)
  weight: GPUBuffer; // (D, W)
  bias: GPUBuffer; // (D,), zeros when absent
  initialStates: GPUBuffer; // (batch, D, W-1), or a placeholder when `init` is false
  /** initialStates holds the states before t = 0 (else they are zeros). */
  init: boolean;
  out: GPUBuffer; // (batch, D, L)
  finalStates: GPUBuffer; // (batch, D, W-1)
  trace: GPUBuffer;
}

export function causalConv1dKernel(gpu: Gpu, W: number, trace = false): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.tile`,
    sources: ['common/math.wgsl', 'common/grid.wgsl', 'common/trace.wgsl', 'mamba/causalConv1d.wgsl'],
    constants: { WG, W, TRACE: trace ? 1 : 0 },
    trace: CONV1D_TRACE,
  });
}

/** One workgroup per (row, tile) on buffers it is given; traced, `trace` needs conv1dTraceCapacity records. */
export async function causalConv1dDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: CausalConv1dParams,
  b: Conv1dBuffers,
  traced = false,
): Promise<Dispatch> {
  const rows = p.batch * p.D;
  const tiles = conv1dTiles(p);
  const k = await causalConv1dKernel(gpu, p.W, traced);
  const params = uniformFor(scope, k, {
    batch: p.batch,
    D: p.D,
    L: p.L,
    hasInit: b.init ? 1 : 0,
    siluOn: p.silu ? 1 : 0,
    tiles,
  });
  const { x, weight, bias, initialStates, out, finalStates, trace } = b;
  return {
    kernel: k,
    bindings: { p: params.buffer, x, weight, bias, initialStates, outBuf: out, finalStates, trace },
    workgroups: gridFor(gpu, LABEL, rows * tiles).workgroups,
  };
}

/** Uploads the host inputs and makes the outputs (and a trace buffer for a traced run). */
export function uploadConv1d(
  scope: BufferScope,
  p: CausalConv1dParams,
  x: CausalConv1dInputs,
  traced = false,
): Conv1dBuffers {
  checkCausalConv1d(p, x);
  const rows = p.batch * p.D;
  return {
    x: scope.upload('x', f32(x.x)),
    weight: scope.upload('weight', f32(x.weight)),
    bias: scope.upload('bias', f32(x.bias, p.D)),
    initialStates: scope.upload('initialStates', f32(x.initialStates)),
    init: x.initialStates !== undefined,
    out: scope.storage('out', rows * p.L * 4),
    finalStates: scope.storage('finalStates', rows * (p.W - 1) * 4),
    trace: traceBuffer(scope, traced ? conv1dTraceCapacity(p) : 0),
  };
}

export async function causalConv1dGpu(
  gpu: Gpu,
  p: CausalConv1dParams,
  x: CausalConv1dInputs,
  opts: RunOptions = {},
) {
  const traced = opts.trace ?? false;
  const rows = p.batch * p.D;
  return runAndRead<'out' | 'finalStates', { trace: TraceCapture | null }>(
    gpu,
    LABEL,
    async (scope) => {
      const b = uploadConv1d(scope, p, x, traced);
      return {
        dispatches: [await causalConv1dDispatch(gpu, scope, p, b, traced)],
        read: { out: [b.out, rows * p.L], finalStates: [b.finalStates, rows * (p.W - 1)] },
        after: async () => ({ trace: traced ? await readTrace(gpu, b.trace, CONV1D_TRACE) : null }),
      };
    },
    opts.time,
  );
}

export function makeConvInputs(p: CausalConv1dParams, seed: number, withInit = true): CausalConv1dInputs {
  const rng = new Rng(seed);
  return {
    x: rng.normals(p.batch * p.D * p.L),
    weight: rng.normals(p.D * p.W, 0.5),
    bias: rng.normals(p.D, 0.1),
    initialStates: withInit ? rng.normals(p.batch * p.D * (p.W - 1)) : undefined,
  };
}

export const causalConv1dProgram: Program<CausalConv1dParams, CausalConv1dInputs, Record<string, Host>> = {
  id: LABEL,
  title: 'Depthwise causal conv1d (the Mamba block conv)',
  makeInputs: (p, seed) => makeConvInputs(p, seed),
  reference: (p, x) => causalConv1d(p, x),
  run: runPicking(['out', 'finalStates'], causalConv1dGpu),
  tolerance: 1e-4,
};
