// s4dKernel: the S4D convolution kernel K (H, L) = 2 Re Σ_n C̃_n Ā_n^l by a Vandermonde product on the GPU
// (prep: C̃ and log Ā per mode; then one workgroup per (block of l, channel)). Serves s4d_kernel,
// s4d_minimal_kernel and the diagonal s4_kernel, optionally traced. No Cauchy/NPLR kernel, no bandlimit.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { s4dKernel } from '../../reference/s4d';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import { checkDisc, checkDt, type Disc } from './discretizeDense';
import { type Complex, deinterleave, fold, interleave } from './common';
import type { Program } from '../program';

export const S4D_WG = 64;
const WG = S4D_WG;
/** Trace tensor ids of shaders/s4/s4dKernelPrep.wgsl and s4dKernel.wgsl ('' for compute events). */
export const S4D_TENSORS = ['A', 'B', 'C', 'dt', 'v', 'x', 'K', 'Kc', ''] as const;
/** 0 zoh, 1 bilinear, 2 minimal (A = (log_A_real, A_imag), dt = log_dt, B ≡ 1), 3 already discretized,
 * 4 raw log-Vandermonde (C = v, A = x). */
export type PrepMode = 0 | 1 | 2 | 3 | 4;

export function checkL(label: string, L: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(L) || L < 1 || L > max)
    throw new EngineError(label, `L must be an integer in 1..${max} (got ${L})`);
}

/** Trace events of both dispatches: 6 per prep workgroup, 3 per mode tile and 2 per Vandermonde workgroup. */
export function s4dTraceCapacity(gpu: Gpu, d: { H: number; N2: number; L: number }): number {
  const g = fold(gpu, d.H * d.N2, WG);
  return 6 * g.workgroups[0] * g.workgroups[1] + Math.ceil(d.L / WG) * d.H * (3 * Math.ceil(d.N2 / WG) + 2);
}

/** Two dispatches: prep (v, x per mode) then Vandermonde into new buffers K (H,L) and Kc (H,L complex).
 * With b.trace, the instrumented variants record into it. */
export async function s4dKernelDispatches(
  gpu: Gpu,
  scope: BufferScope,
  d: { H: number; N2: number; L: number; mode: PrepMode; scale: number },
  b: { A: GPUBuffer; B: GPUBuffer; C: GPUBuffer; dt: GPUBuffer; trace?: GPUBuffer },
) {
  const TRACE = b.trace ? 1 : 0;
  const trace = b.trace ?? traceBuffer(scope, 0);
  const count = d.H * d.N2;
  const v = scope.storage('v', count * 8);
  const x = scope.storage('x', count * 8);
  const K = scope.storage('K', d.H * d.L * 4);
  const Kc = scope.storage('Kc', d.H * d.L * 8);
  const prep = await kernel(gpu, {
    label: 's4dKernel.prep',
    sources: [
      'common/math.wgsl',
      'common/trace.wgsl',
      'common/complex.wgsl',
      's4/diagDisc.wgsl',
      's4/s4dKernelPrep.wgsl',
    ],
    constants: { WG, TRACE },
  });
  const vander = await kernel(gpu, {
    label: 's4dKernel.vandermonde',
    sources: ['common/math.wgsl', 'common/trace.wgsl', 'common/complex.wgsl', 's4/s4dKernel.wgsl'],
    constants: { TRACE },
  });
  const g = fold(gpu, count, WG);
  const prepParams = scope.uniform('prep.params', [
    ['u32', count],
    ['u32', d.N2],
    ['u32', d.mode],
    ['u32', g.rowStride],
  ]);
  const vParams = scope.uniform('vandermonde.params', [
    ['u32', d.H],
    ['u32', d.N2],
    ['u32', d.L],
    ['f32', d.scale],
    ['u32', g.workgroups[0] * g.workgroups[1]],
  ]);
  const blocks = Math.ceil(d.L / WG);
  if (
    blocks > gpu.limits.maxComputeWorkgroupsPerDimension ||
    d.H > gpu.limits.maxComputeWorkgroupsPerDimension
  )
    throw new EngineError('s4dKernel', `L=${d.L} or H=${d.H} exceeds the grid limit`);
  const dispatches: Dispatch[] = [
    { kernel: prep, bindings: [prepParams, b.A, b.B, b.C, b.dt, v, x, trace], workgroups: g.workgroups },
    { kernel: vander, bindings: [vParams, v, x, K, Kc, trace], workgroups: [blocks, d.H] },
  ];
  return { dispatches, K, Kc };
}

/** A, B, C (H, N2) complex; dt (H,) (log_dt in mode 2); returns K = scale·Re Kc and Kc (and the trace). */
export async function s4dKernelGpu(
  gpu: Gpu,
  mode: PrepMode,
  A: Complex,
  B: Complex,
  C: Complex,
  dt: ArrayLike<number>,
  L: number,
  scale = 2,
  time = false,
  traced = false,
): Promise<{
  K: Float32Array;
  Kc: { data: Float32Array; imag: Float32Array };
  gpuMs: number | null;
  trace: TraceCapture | null;
}> {
  const H = dt.length;
  const count = A.data.length;
  const label = 's4dKernel';
  checkL(label, L);
  if (H < 1 || count % H !== 0 || count === 0 || B.data.length !== count || C.data.length !== count)
    throw new EngineError(
      label,
      `A, B, C must be (H, N2) with dt (H,); got ${count}, ${B.data.length}, ${C.data.length}, ${H}`,
    );
  if (mode < 2) for (const d of Array.from(dt)) checkDt(label, d);
  const scope = new BufferScope(gpu, 's4dKernel');
  try {
    const d = { H, N2: count / H, L, mode, scale };
    const trace = traced ? traceBuffer(scope, s4dTraceCapacity(gpu, d)) : undefined;
    const r = await s4dKernelDispatches(gpu, scope, d, {
      trace,
      A: scope.upload('A', interleave(A)),
      B: scope.upload('B', interleave(B)),
      C: scope.upload('C', interleave(C)),
      dt: scope.upload('dt', Float32Array.from(dt)),
    });
    const { gpuMs } = await runDispatches(gpu, label, r.dispatches, { time });
    return {
      K: await readF32(gpu, r.K, H * L),
      Kc: deinterleave(await readF32(gpu, r.Kc, 2 * H * L)),
      gpuMs,
      trace: trace ? await readTrace(gpu, trace, S4D_TENSORS) : null,
    };
  } finally {
    scope.release();
  }
}

export interface S4dKernelParams {
  H: number;
  N2: number;
  L: number;
  disc: Disc;
}
export interface S4dKernelInputs {
  A: { data: Float32Array; imag: Float32Array }; // (H, N2)
  B: { data: Float32Array; imag: Float32Array }; // (H, N2)
  C: { data: Float32Array; imag: Float32Array }; // (H, N2)
  dt: Float32Array; // (H,)
}

const cv = (c: { data: Float32Array; imag: Float32Array }) => ({
  re: Float64Array.from(c.data),
  im: Float64Array.from(c.imag),
});

export const s4dKernelProgram: Program<S4dKernelParams, S4dKernelInputs, { K: Float32Array | Float64Array }> =
  {
    id: 's4dKernel',
    title: 'S4D kernel by Vandermonde product',
    makeInputs(p, seed) {
      const rng = new Rng(seed);
      const n = p.H * p.N2;
      // S4D-Lin: A = −1/2 + iπn.
      const A = {
        data: new Float32Array(n).fill(-0.5),
        imag: Float32Array.from({ length: n }, (_, i) => Math.PI * (i % p.N2)),
      };
      const B = { data: new Float32Array(n).fill(1), imag: new Float32Array(n) };
      const C = { data: rng.normals(n, Math.SQRT1_2), imag: rng.normals(n, Math.SQRT1_2) };
      const dt = Float32Array.from({ length: p.H }, () =>
        Math.exp(rng.uniform(Math.log(1e-3), Math.log(1e-1))),
      );
      return { A, B, C, dt };
    },
    reference: (p, x) => ({ K: s4dKernel(cv(x.A), cv(x.B), cv(x.C), x.dt, p.L, p.disc) }),
    async run(gpu, p, x, opts = {}) {
      checkDisc('s4dKernel', p.disc);
      const mode = p.disc === 'zoh' ? 0 : 1;
      const r = await s4dKernelGpu(gpu, mode, x.A, x.B, x.C, x.dt, p.L, 2, opts.time, opts.trace);
      return { outputs: { K: r.K }, gpuMs: r.gpuMs, trace: r.trace };
    },
    tolerance: 1e-4,
  };
