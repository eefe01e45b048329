// ssmConv: the convolution view of an SSM, y = K * u (causal, K_0 on the current input), for H channels
// and a batch of B sequences. Direct O(L^2) kernel with K and u tiles in workgroup memory, one workgroup
// per (block of outputs, row) over a folded grid, optionally traced; the FFT version lives beside it.

import type { Gpu } from '../../gpu/device';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import { causalConv } from '../../reference/conv';
import { readTrace, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkL, runResult } from './common';

export interface SsmConvParams {
  B: number;
  H: number;
  L: number;
}
export interface SsmConvInputs {
  K: Float32Array; // (H, L)
  u: Float32Array; // (B, H, L)
}
export type SsmConvOutputs = { y: Float64Array | Float32Array }; // (B, H, L)

/** Trace tensors of shaders/s4/ssmConv.wgsl (the multiply-adds count on y). */
export const SSM_CONV_TRACE = traceTable(['K', 'u', 'y']);
export const SSM_CONV_WG = 64;
const WG = SSM_CONV_WG;

export function ssmConvKernel(gpu: Gpu, traced: boolean) {
  return kernel(gpu, {
    label: 'ssmConv.direct',
    sources: ['common/trace.wgsl', 'common/grid.wgsl', 's4/ssmConv.wgsl', 'common/perWorkgroup.wgsl'],
    constants: { WG, TRACE: traced ? 1 : 0 },
    trace: SSM_CONV_TRACE,
  });
}

/** Trace events: per block q of every row, 3 for each of its q + 1 tap tiles, then the y write. */
export function ssmConvTraceCapacity(p: SsmConvParams): number {
  const blocks = Math.ceil(p.L / WG);
  return ((3 * blocks * (blocks + 1)) / 2 + blocks) * p.B * p.H;
}

/** Dispatch writing y (B, H, L) into a new buffer from buffers K (H, L) and u (B, H, L). With b.trace,
 * the instrumented variant records into it. */
export async function ssmConvDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: SsmConvParams,
  b: { K: GPUBuffer; u: GPUBuffer; trace?: GPUBuffer },
) {
  checkL('ssmConv', p.L);
  const y = scope.storage('y', p.B * p.H * p.L * 4); // (B, H, L)
  const k = await ssmConvKernel(gpu, !!b.trace);
  const blocks = Math.ceil(p.L / WG);
  const grid = gridFor(gpu, 'ssmConv', blocks * p.B * p.H);
  const params = uniformFor(scope, k, { B: p.B, H: p.H, L: p.L, blocks, count: grid.count });
  const trace = b.trace ?? traceBuffer(scope, 0);
  const dispatch: Dispatch = {
    kernel: k,
    bindings: { p: params.buffer, K: b.K, u: b.u, y, trace },
    workgroups: grid.workgroups,
  };
  return { dispatch, y };
}

export async function ssmConvGpu(gpu: Gpu, p: SsmConvParams, x: SsmConvInputs, opts: RunOptions = {}) {
  return inScope(gpu, 'ssmConv', async (scope) => {
    const trace = opts.trace ? traceBuffer(scope, ssmConvTraceCapacity(p)) : undefined;
    const b = { K: scope.upload('K', x.K), u: scope.upload('u', x.u), trace };
    const { dispatch, y } = await ssmConvDispatch(gpu, scope, p, b);
    const run = await runDispatches(gpu, 'ssmConv', [dispatch], opts);
    return {
      y: await readF32(gpu, y, p.B * p.H * p.L),
      trace: trace ? await readTrace(gpu, trace, SSM_CONV_TRACE) : null,
      ...run,
    };
  });
}

export const ssmConvProgram: Program<SsmConvParams, SsmConvInputs, SsmConvOutputs> = {
  id: 'ssmConv',
  title: 'Causal convolution y = K * u (direct)',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return { K: rng.normals(p.H * p.L, 0.5), u: rng.normals(p.B * p.H * p.L) };
  },
  reference(p, x) {
    return { y: causalConv(x.K, x.u, p.B, p.H, p.L) };
  },
  async run(gpu, p, x, opts = {}) {
    const r = await ssmConvGpu(gpu, p, x, opts);
    return runResult({ y: r.y }, r);
  },
  tolerance: 1e-4,
};
