// matmul: the dense projection of the blocks, torch's nn.Linear, y (rows, outF) = x (rows, inF) Wᵀ (+ b),
// W row-major (outF, inF), as a tiled GPU kernel (shaders/layers/matmul.wgsl) with a traced variant.
// The dispatch reads x as a column slice of a wider buffer and writes y into one (offset and row stride),
// so a block splits its projections without copies. CPU side: reference/blocks.ts `linear`.

import type { Gpu } from '../../gpu/device';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { runAndRead } from '../../gpu/run';
import { linear } from '../../reference/blocks';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import { checkLength, checkSizes, f32, runResult } from './common';

/** Trace tensors of shaders/layers/matmul.wgsl. */
export const MATMUL_TRACE = traceTable(['x', 'W', 'bias', 'y']);
/** The kernel's tile of y (rows × columns) and its step along K. */
export const MATMUL_TILE = { TM: 32, TN: 32, TK: 16 } as const;
const LABEL = 'matmul';

export interface MatmulParams {
  rows: number;
  inF: number;
  outF: number;
}

export interface MatmulInputs {
  x: ArrayLike<number>; // (rows, inF)
  W: ArrayLike<number>; // (outF, inF)
  bias?: ArrayLike<number> | null; // (outF,)
}

/** Where x is read and y written: first column and row stride of each (defaults: dense, offset 0). */
export interface MatmulView {
  xOff?: number;
  xStride?: number;
  yOff?: number;
  yStride?: number;
}

export interface MatmulBuffers {
  x: GPUBuffer; // (rows, xStride)
  W: GPUBuffer; // (outF, inF)
  bias: GPUBuffer | null; // (outF,), null for no bias
  y: GPUBuffer; // (rows, yStride)
  trace?: GPUBuffer;
}

const tilesOf = (p: MatmulParams) => ({
  m: Math.ceil(p.rows / MATMUL_TILE.TM),
  n: Math.ceil(p.outF / MATMUL_TILE.TN),
  k: Math.ceil(p.inF / MATMUL_TILE.TK),
});

/** Trace records a traced run makes: per tile of y, two loads per K step, the bias read, the write. */
export function matmulTraceCapacity(p: MatmulParams): number {
  const t = tilesOf(p);
  return t.m * t.n * (2 * t.k + 2);
}

/** Bytes a run moves between storage and workgroup memory or registers (what the trace adds up). */
export function matmulTraffic(p: MatmulParams, bias: boolean) {
  const t = tilesOf(p);
  return {
    x: 4 * p.rows * p.inF * t.n,
    W: 4 * p.outF * p.inF * t.m,
    bias: bias ? 4 * p.outF * t.m : 0,
    y: 4 * p.rows * p.outF,
  };
}

export function matmulKernel(gpu: Gpu, trace = false): Promise<Kernel> {
  return kernel(gpu, {
    label: `${LABEL}.tile`,
    sources: ['common/grid.wgsl', 'common/trace.wgsl', 'layers/matmul.wgsl'],
    constants: { TRACE: trace ? 1 : 0 },
    trace: MATMUL_TRACE,
  });
}

/**
 * One workgroup per 32×32 tile of y on buffers it is given (the grid folded past 65,535 tiles). The
 * uniform and the placeholders are owned by `scope`; traced, b.trace needs matmulTraceCapacity records.
 */
export async function matmulDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: MatmulParams,
  b: MatmulBuffers,
  view: MatmulView = {},
  traced = false,
): Promise<Dispatch> {
  checkSizes(LABEL, { rows: p.rows, inF: p.inF, outF: p.outF });
  const k = await matmulKernel(gpu, traced);
  const t = tilesOf(p);
  const grid = gridFor(gpu, LABEL, t.m * t.n);
  const params = uniformFor(scope, k, {
    rows: p.rows,
    inF: p.inF,
    outF: p.outF,
    xOff: view.xOff ?? 0,
    xStride: view.xStride ?? p.inF,
    yOff: view.yOff ?? 0,
    yStride: view.yStride ?? p.outF,
    hasBias: b.bias ? 1 : 0,
    tilesN: t.n,
    count: grid.count,
  });
  const bindings = {
    p: params.buffer,
    x: b.x,
    W: b.W,
    bias: b.bias ?? scope.storage('noBias', 4),
    y: b.y,
    trace: b.trace ?? traceBuffer(scope, 0),
  };
  return { kernel: k, bindings, workgroups: grid.workgroups };
}

export async function matmulGpu(gpu: Gpu, p: MatmulParams, x: MatmulInputs, opts: RunOptions = {}) {
  checkSizes(LABEL, { rows: p.rows, inF: p.inF, outF: p.outF });
  checkLength(LABEL, 'x', x.x, p.rows * p.inF);
  checkLength(LABEL, 'W', x.W, p.outF * p.inF);
  checkLength(LABEL, 'bias', x.bias, p.outF);
  const traced = opts.trace ?? false;
  return runAndRead<'y', { trace: TraceCapture | null }>(
    gpu,
    LABEL,
    async (scope) => {
      const y = scope.storage('y', p.rows * p.outF * 4);
      const trace = traceBuffer(scope, traced ? matmulTraceCapacity(p) : 0);
      const b = {
        x: scope.upload('x', f32(x.x)),
        W: scope.upload('W', f32(x.W)),
        bias: x.bias ? scope.upload('bias', f32(x.bias)) : null,
        y,
        trace,
      };
      return {
        dispatches: [await matmulDispatch(gpu, scope, p, b, {}, traced)],
        read: { y: [y, p.rows * p.outF] },
        after: async () => ({ trace: traced ? await readTrace(gpu, trace, MATMUL_TRACE) : null }),
      };
    },
    opts.time,
  );
}

export function makeMatmulInputs(p: MatmulParams, seed: number, bias = true): MatmulInputs {
  const rng = new Rng(seed);
  return {
    x: rng.normals(p.rows * p.inF),
    W: rng.normals(p.outF * p.inF, 1 / Math.sqrt(p.inF)),
    bias: bias ? rng.normals(p.outF, 0.1) : null,
  };
}

export const matmulProgram: Program<MatmulParams, MatmulInputs, { y: Host }> = {
  id: LABEL,
  title: 'Tiled projection y = x Wᵀ + b (nn.Linear)',
  makeInputs: (p, seed) => makeMatmulInputs(p, seed),
  reference: (p, x) => ({ y: linear(x.x, x.W, p.rows, p.inF, p.outF, x.bias) }),
  async run(gpu, p, x, opts = {}) {
    const r = await matmulGpu(gpu, p, x, opts);
    return runResult(r, { y: r.y });
  },
  tolerance: 1e-4,
};
