// causalConv1d: the Mamba block's depthwise causal conv1d on the GPU, with optional bias, initial
// states, final states and silu, optionally traced. CPU side: reference/causalConv1d.ts.

import type { Gpu } from '../../gpu/device';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import {
  type CausalConv1dInputs,
  type CausalConv1dParams,
  causalConv1d,
  checkCausalConv1d,
} from '../../reference/causalConv1d';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import { foldGrid } from './common';
import type { Host, Program, RunOptions } from '../program';

/** Trace tensor ids of shaders/mamba/causalConv1d.wgsl. */
export const CONV1D_TENSORS = ['x', 'weight', 'bias', 'initialStates', 'out', 'finalStates'] as const;
export const CONV1D_WG = 64;
const WG = CONV1D_WG;
/** Trace events per workgroup (one tile of one row). */
const EVENTS_PER_TILE = 6;

export async function causalConv1dGpu(
  gpu: Gpu,
  p: CausalConv1dParams,
  x: CausalConv1dInputs,
  opts: boolean | RunOptions = false,
): Promise<{
  out: Float32Array;
  finalStates: Float32Array;
  gpuMs: number | null;
  trace: TraceCapture | null;
}> {
  const { time, trace: traced } = typeof opts === 'boolean' ? { time: opts, trace: false } : opts;
  checkCausalConv1d(p, x);
  const scope = new BufferScope(gpu, 'causalConv1d');
  try {
    const rows = p.batch * p.D;
    const S = p.W - 1;
    const tiles = Math.ceil((p.L + S) / WG);
    const k = await kernel(gpu, {
      label: 'causalConv1d.tile',
      sources: ['common/math.wgsl', 'common/trace.wgsl', 'mamba/causalConv1d.wgsl'],
      constants: { WG, W: p.W, TRACE: traced ? 1 : 0 },
    });
    const trace = traceBuffer(scope, traced ? EVENTS_PER_TILE * rows * tiles : 0);
    const out = scope.storage('out', rows * p.L * 4);
    const finalStates = scope.storage('finalStates', rows * S * 4);
    const u = (v: number) => ['u32', v] as ['u32', number];
    const { gpuMs } = await runDispatches(
      gpu,
      'causalConv1d',
      [
        {
          kernel: k,
          bindings: [
            scope.uniform('params', [
              u(p.batch),
              u(p.D),
              u(p.L),
              u(x.initialStates ? 1 : 0),
              u(p.silu ? 1 : 0),
              u(tiles),
            ]),
            scope.upload('x', Float32Array.from(x.x)),
            scope.upload('weight', Float32Array.from(x.weight)),
            scope.upload('bias', x.bias ? Float32Array.from(x.bias) : new Float32Array(p.D)),
            scope.upload(
              'initialStates',
              x.initialStates ? Float32Array.from(x.initialStates) : new Float32Array(1),
            ),
            out,
            finalStates,
            trace,
          ],
          workgroups: foldGrid(rows * tiles, gpu.limits.maxComputeWorkgroupsPerDimension),
        },
      ],
      { time },
    );
    return {
      out: await readF32(gpu, out, rows * p.L),
      finalStates: await readF32(gpu, finalStates, rows * S),
      gpuMs,
      trace: traced ? await readTrace(gpu, trace, CONV1D_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
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
  id: 'causalConv1d',
  title: 'Depthwise causal conv1d (the Mamba block conv)',
  makeInputs: (p, seed) => makeConvInputs(p, seed),
  reference: (p, x) => causalConv1d(p, x),
  async run(gpu, p, x, opts = {}) {
    const r = await causalConv1dGpu(gpu, p, x, opts);
    return { outputs: { out: r.out, finalStates: r.finalStates }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
