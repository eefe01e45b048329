// fftConv: the causal convolution y = K * u (+ D u) through a batched radix-2 Stockham FFT on the GPU:
// pack and zero-pad to n = next power of two >= 2L, log2(n) forward passes, pointwise product, log2(n)
// inverse passes, take the first L outputs. O(L log L) beside the direct O(L^2) ssmConv. Every kernel runs
// one invocation per element over a folded grid. Optionally traced (per workgroup reads/writes, one
// scan-level event per butterfly stage). No real-FFT packing.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Grid, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import { fftConv, nextPow2 } from '../../reference/fft';
import { readTrace, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkL, runResult } from './common';

export const FFT_CONV_WG = 64;
const WG = FFT_CONV_WG;
/** Trace tensors of shaders/s4/fftConv*.wgsl (butterfly levels and products count on spec). */
export const FFT_CONV_TRACE = traceTable(['u', 'K', 'spec', 'twiddles', 'D', 'y'], ['product']);

export interface FftConvParams {
  B: number;
  H: number;
  L: number;
}

/** Twiddles e^{−2πi j/n}, j < n/2, computed in float64. */
function twiddles(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let j = 0; j < n / 2; j++) {
    w[2 * j] = Math.cos((-2 * Math.PI * j) / n);
    w[2 * j + 1] = Math.sin((-2 * Math.PI * j) / n);
  }
  return w;
}

const KERNELS = { pack: 'fftConvPack', pass: 'fftConv', mul: 'fftConvMul', unpack: 'fftConvUnpack' } as const;

export async function fftConvKernels(gpu: Gpu, traced: boolean) {
  const make = (name: keyof typeof KERNELS) =>
    kernel(gpu, {
      label: `fftConv.${name}`,
      sources: [
        'common/math.wgsl',
        'common/trace.wgsl',
        'common/grid.wgsl',
        's4/fftConvParams.wgsl',
        `s4/${KERNELS[name]}.wgsl`,
      ],
      constants: { WG, TRACE: traced ? 1 : 0 },
      trace: FFT_CONV_TRACE,
    });
  const [pack, pass, mul, unpack] = await Promise.all([
    make('pack'),
    make('pass'),
    make('mul'),
    make('unpack'),
  ]);
  return { pack, pass, mul, unpack };
}

/** Each dispatch in order (pack, log2 n forward passes over every row, product, log2 n inverse passes over
 * the u rows, unpack): its grid and the trace events each of its workgroups records. */
function plan(gpu: Gpu, p: FftConvParams): Array<{ grid: Grid; events: number }> {
  const n = nextPow2(2 * p.L);
  const rowsU = p.B * p.H;
  const at = (items: number, events: number) => ({
    grid: gridForInvocations(gpu, 'fftConv', items, WG),
    events,
  });
  const passes = (rows: number) => Array.from({ length: Math.log2(n) }, () => at((rows * n) / 2, 4));
  return [
    at((rowsU + p.H) * n, 3),
    ...passes(rowsU + p.H),
    at(rowsU * n, 3),
    ...passes(rowsU),
    at(rowsU * p.L, 4),
  ];
}

/** The most trace events the dispatches record. */
export function fftConvTraceCapacity(gpu: Gpu, p: FftConvParams): number {
  return plan(gpu, p).reduce((s, d) => s + d.events * d.grid.count, 0);
}

/** Dispatches writing y (B, H, L) into a new buffer from buffers u (B,H,L), K (H,L) and optional D (H,).
 * With b.trace, the instrumented variants record into it. */
export async function fftConvDispatches(
  gpu: Gpu,
  scope: BufferScope,
  p: FftConvParams,
  b: { u: GPUBuffer; K: GPUBuffer; D: GPUBuffer | null; trace?: GPUBuffer },
) {
  checkL('fftConv', p.L);
  if (!Number.isInteger(p.B) || !Number.isInteger(p.H) || p.B < 1 || p.H < 1)
    throw new EngineError('fftConv', `B and H must be integers >= 1 (got ${p.B}, ${p.H})`);
  const n = nextPow2(2 * p.L);
  const rowsU = p.B * p.H;
  const rows = rowsU + p.H;
  const specA = scope.storage('specA', rows * n * 8); // (B·H + H, n) complex
  const specB = scope.storage('specB', rows * n * 8); // (B·H + H, n) complex
  const y = scope.storage('y', rowsU * p.L * 4); // (B, H, L)
  const tw = scope.upload('twiddles', twiddles(n)); // (n/2,) complex
  const D = b.D ?? scope.storage('D', 4); // (H,)
  const trace = b.trace ?? traceBuffer(scope, 0);
  const k = await fftConvKernels(gpu, !!b.trace);
  const g = plan(gpu, p);
  const dispatches: Dispatch[] = [];
  // Trace workgroup ids run on over the dispatches, so every workgroup of the program has its own.
  let wgBase = 0;
  const add = (
    name: keyof typeof k,
    f: { rows: number; p?: number; inverse?: number },
    bind: Record<string, GPUBuffer>,
  ) => {
    const { grid } = g[dispatches.length];
    const prm = uniformFor(scope, k[name], {
      L: p.L,
      n,
      rowsU,
      H: p.H,
      hasD: b.D ? 1 : 0,
      p: f.p ?? 0,
      inverse: f.inverse ?? 0,
      rows: f.rows,
      wgBase,
    });
    wgBase += grid.count;
    dispatches.push({
      kernel: k[name],
      bindings: { prm: prm.buffer, trace, ...bind },
      workgroups: grid.workgroups,
    });
  };
  add('pack', { rows }, { u: b.u, K: b.K, spec: specA });
  let [cur, nxt] = [specA, specB];
  const passes = (count: number, inverse: number) => {
    for (let s = 1; s < n; s *= 2) {
      add('pass', { rows: count, p: s, inverse }, { tw, src: cur, dst: nxt });
      [cur, nxt] = [nxt, cur];
    }
  };
  passes(rows, 0);
  add('mul', { rows: rowsU }, { spec: cur });
  passes(rowsU, 1);
  add('unpack', { rows: rowsU }, { spec: cur, u: b.u, D, y });
  return { dispatches, y };
}

export interface FftConvInputs {
  K: Float32Array; // (H, L)
  u: Float32Array; // (B, H, L)
  D?: Float32Array | null; // (H,)
}

export async function fftConvGpu(gpu: Gpu, p: FftConvParams, x: FftConvInputs, opts: RunOptions = {}) {
  const { B, H, L } = p;
  if (x.u.length !== B * H * L || x.K.length !== H * L || (x.D && x.D.length !== H))
    throw new EngineError('fftConv', `want u (${B},${H},${L}), K (${H},${L})${x.D ? `, D (${H},)` : ''}`);
  return inScope(gpu, 'fftConv', async (scope) => {
    const b = {
      u: scope.upload('u', x.u),
      K: scope.upload('K', x.K),
      D: x.D ? scope.upload('Din', x.D) : null,
      trace: opts.trace ? traceBuffer(scope, fftConvTraceCapacity(gpu, p)) : undefined,
    };
    const { dispatches, y } = await fftConvDispatches(gpu, scope, p, b);
    const run = await runDispatches(gpu, 'fftConv', dispatches, opts);
    return {
      y: await readF32(gpu, y, B * H * L),
      trace: b.trace ? await readTrace(gpu, b.trace, FFT_CONV_TRACE) : null,
      ...run,
    };
  });
}

export const fftConvProgram: Program<FftConvParams, FftConvInputs, { y: Float32Array | Float64Array }> = {
  id: 'fftConv',
  title: 'Causal convolution y = K * u through the FFT',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return { K: rng.normals(p.H * p.L, 0.5), u: rng.normals(p.B * p.H * p.L) };
  },
  reference: (p, x) => ({ y: fftConv(x.K, x.u, p.B, p.H, p.L, x.D) }),
  async run(gpu, p, x, opts = {}) {
    const r = await fftConvGpu(gpu, p, x, opts);
    return runResult({ y: r.y }, r);
  },
  tolerance: 1e-4,
};
