// fftConv: the causal convolution y = K * u (+ D u) through a batched radix-2 Stockham FFT on the GPU:
// pack and zero-pad to n = next power of two >= 2L, log2(n) forward passes, pointwise product, log2(n)
// inverse passes, take the first L outputs. O(L log L) beside the direct O(L^2) ssmConv. Optionally traced
// (per workgroup reads/writes, one scan-level event per butterfly stage). No real-FFT packing.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { fftConv, nextPow2 } from '../../reference/fft';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import { checkL } from './s4dKernel';
import { fold } from './common';
import type { Program, RunOptions } from '../program';

export const FFT_CONV_WG = 64;
const WG = FFT_CONV_WG;
/** Trace tensor ids of shaders/s4/fftConv*.wgsl ('' for compute and stage events). */
export const FFT_CONV_TENSORS = ['u', 'K', 'spec', 'twiddles', 'D', 'y', ''] as const;

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

/** Workgroups (and the most trace events they record) of the pack, 2·log2 n passes, mul and unpack. */
export function fftConvTraceCapacity(gpu: Gpu, p: FftConvParams): number {
  const n = nextPow2(2 * p.L);
  const rowsU = p.B * p.H;
  const count = (items: number) => {
    const g = fold(gpu, items, WG);
    return g.workgroups[0] * g.workgroups[1];
  };
  const stages = Math.log2(n);
  return (
    3 * count((rowsU + p.H) * n) +
    4 * stages * (count(((rowsU + p.H) * n) / 2) + count((rowsU * n) / 2)) +
    3 * count(rowsU * n) +
    4 * count(rowsU * p.L)
  );
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
  const specA = scope.storage('specA', rows * n * 8);
  const specB = scope.storage('specB', rows * n * 8);
  const y = scope.storage('y', rowsU * p.L * 4);
  const tw = scope.upload('twiddles', twiddles(n));
  const D = b.D ?? scope.storage('D', 4);
  const trace = b.trace ?? traceBuffer(scope, 0);
  const constants = { WG, TRACE: b.trace ? 1 : 0 };
  const src = (paths: string[]) => ['common/math.wgsl', 'common/trace.wgsl', ...paths];
  const [pack, pass, mul, unpack] = await Promise.all([
    kernel(gpu, { label: 'fftConv.pack', sources: src(['s4/fftConvPack.wgsl']), constants }),
    kernel(gpu, { label: 'fftConv.pass', sources: src(['s4/fftConv.wgsl']), constants }),
    kernel(gpu, { label: 'fftConv.mul', sources: src(['s4/fftConvMul.wgsl']), constants }),
    kernel(gpu, { label: 'fftConv.unpack', sources: src(['s4/fftConvUnpack.wgsl']), constants }),
  ]);
  const dispatches: Dispatch[] = [];
  // Trace workgroup ids run on over the dispatches, so every workgroup of the program has its own.
  let wgBase = 0;
  const base = (workgroups: [number, number]) => {
    const first = wgBase;
    wgBase += workgroups[0] * workgroups[1];
    return first;
  };
  const g = fold(gpu, rows * n, WG);
  dispatches.push({
    kernel: pack,
    bindings: [
      scope.uniform('pack.params', [
        ['u32', p.L],
        ['u32', n],
        ['u32', rowsU],
        ['u32', p.H],
        ['u32', g.rowStride],
        ['u32', base(g.workgroups)],
      ]),
      b.u,
      b.K,
      specA,
      trace,
    ],
    workgroups: g.workgroups,
  });
  let cur = specA;
  let nxt = specB;
  const passes = (count: number, inverse: boolean) => {
    const gp = fold(gpu, (count * n) / 2, WG);
    for (let s = 1; s < n; s *= 2) {
      const params = scope.uniform(`pass.${inverse ? 'inv' : 'fwd'}${s}`, [
        ['u32', n],
        ['u32', s],
        ['u32', count],
        ['u32', inverse ? 1 : 0],
        ['u32', gp.rowStride],
        ['u32', base(gp.workgroups)],
      ]);
      dispatches.push({ kernel: pass, bindings: [params, tw, cur, nxt, trace], workgroups: gp.workgroups });
      [cur, nxt] = [nxt, cur];
    }
  };
  passes(rows, false);
  const gm = fold(gpu, rowsU * n, WG);
  dispatches.push({
    kernel: mul,
    bindings: [
      scope.uniform('mul.params', [
        ['u32', n],
        ['u32', rowsU],
        ['u32', p.H],
        ['u32', gm.rowStride],
        ['u32', base(gm.workgroups)],
      ]),
      cur,
      trace,
    ],
    workgroups: gm.workgroups,
  });
  passes(rowsU, true);
  const gu = fold(gpu, rowsU * p.L, WG);
  dispatches.push({
    kernel: unpack,
    bindings: [
      scope.uniform('unpack.params', [
        ['u32', p.L],
        ['u32', n],
        ['u32', rowsU],
        ['u32', p.H],
        ['u32', gu.rowStride],
        ['u32', b.D ? 1 : 0],
        ['u32', base(gu.workgroups)],
      ]),
      cur,
      b.u,
      D,
      y,
      trace,
    ],
    workgroups: gu.workgroups,
  });
  return { dispatches, y };
}

export interface FftConvInputs {
  K: Float32Array; // (H, L)
  u: Float32Array; // (B, H, L)
  D?: Float32Array | null; // (H,)
}

export async function fftConvGpu(
  gpu: Gpu,
  p: FftConvParams,
  x: FftConvInputs,
  opts: boolean | RunOptions = false,
): Promise<{ y: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  const { time, trace: traced } = typeof opts === 'boolean' ? { time: opts, trace: false } : opts;
  const { B, H, L } = p;
  if (x.u.length !== B * H * L || x.K.length !== H * L || (x.D && x.D.length !== H))
    throw new EngineError('fftConv', `want u (${B},${H},${L}), K (${H},${L})${x.D ? `, D (${H},)` : ''}`);
  const scope = new BufferScope(gpu, 'fftConv');
  try {
    const b = {
      u: scope.upload('u', x.u),
      K: scope.upload('K', x.K),
      D: x.D ? scope.upload('Din', x.D) : null,
    };
    const trace = traced ? traceBuffer(scope, fftConvTraceCapacity(gpu, p)) : undefined;
    const { dispatches, y } = await fftConvDispatches(gpu, scope, p, { ...b, trace });
    const { gpuMs } = await runDispatches(gpu, 'fftConv', dispatches, { time });
    return {
      y: await readF32(gpu, y, B * H * L),
      gpuMs,
      trace: trace ? await readTrace(gpu, trace, FFT_CONV_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
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
    const { y, gpuMs, trace } = await fftConvGpu(gpu, p, x, opts);
    return { outputs: { y }, gpuMs, trace };
  },
  tolerance: 1e-4,
};
