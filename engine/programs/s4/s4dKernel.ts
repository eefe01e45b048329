// s4dKernel: the S4D convolution kernel K (H, L) = 2 Re Σ_n C̃_n Ā_n^l by a Vandermonde product on the GPU
// (prep: C̃ and log Ā per mode; then one workgroup per (block of l, channel), both over folded grids).
// Serves s4d_kernel, s4d_minimal_kernel and the diagonal s4_kernel, optionally traced. No Cauchy/NPLR
// kernel, no bandlimit.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import type { Disc } from '../../reference/discretize';
import { s4dKernel } from '../../reference/s4d';
import { readTrace, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { type Complex, deinterleave, interleave } from '../../util/complex';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkDisc, checkDt, checkL, DIAG_SOURCES, runResult } from './common';

export const S4D_WG = 64;
const WG = S4D_WG;
/** Trace tensors of shaders/s4/s4dKernelPrep.wgsl and s4dKernel.wgsl (the Vandermonde terms count on Kc). */
export const S4D_TRACE = traceTable(['A', 'B', 'C', 'dt', 'v', 'x', 'K', 'Kc']);
/** 0 zoh, 1 bilinear, 2 minimal (A = (log_A_real, A_imag), dt = log_dt, B ≡ 1), 3 already discretized,
 * 4 raw log-Vandermonde (C = v, A = x). */
export type PrepMode = 0 | 1 | 2 | 3 | 4;

export interface S4dShape {
  H: number;
  N2: number;
  L: number;
  mode: PrepMode;
  /** K = scale · Re Kc (2 for the implicit conjugate pairs). */
  scale: number;
}

export function s4dKernelKernels(gpu: Gpu, traced: boolean) {
  const constants = { TRACE: traced ? 1 : 0 };
  return Promise.all([
    kernel(gpu, {
      label: 's4dKernel.prep',
      sources: [...DIAG_SOURCES, 'common/trace.wgsl', 's4/s4dKernelPrep.wgsl'],
      constants: { ...constants, WG },
      trace: S4D_TRACE,
    }),
    kernel(gpu, {
      label: 's4dKernel.vandermonde',
      sources: [
        'common/math.wgsl',
        'common/complex.wgsl',
        'common/trace.wgsl',
        'common/grid.wgsl',
        's4/s4dKernel.wgsl',
        'common/perWorkgroup.wgsl',
      ],
      constants,
      trace: S4D_TRACE,
    }),
  ]);
}

/** The two grids: one invocation per mode (prep), one workgroup per (block of WG positions, channel). */
function grids(gpu: Gpu, d: Pick<S4dShape, 'H' | 'N2' | 'L'>) {
  const blocks = Math.ceil(d.L / WG);
  return {
    prep: gridForInvocations(gpu, 's4dKernel.prep', d.H * d.N2, WG),
    vander: gridFor(gpu, 's4dKernel.vandermonde', blocks * d.H),
    blocks,
  };
}

/** Trace events of both dispatches: 6 per prep workgroup, 3 per mode tile and 2 per Vandermonde workgroup. */
export function s4dTraceCapacity(gpu: Gpu, d: Pick<S4dShape, 'H' | 'N2' | 'L'>): number {
  const g = grids(gpu, d);
  return 6 * g.prep.count + g.vander.count * (3 * Math.ceil(d.N2 / WG) + 2);
}

/** Two dispatches: prep (v, x per mode) then Vandermonde into new buffers K (H,L) and Kc (H,L complex).
 * With b.trace, the instrumented variants record into it. */
export async function s4dKernelDispatches(
  gpu: Gpu,
  scope: BufferScope,
  d: S4dShape,
  b: { A: GPUBuffer; B: GPUBuffer; C: GPUBuffer; dt: GPUBuffer; trace?: GPUBuffer },
) {
  const trace = b.trace ?? traceBuffer(scope, 0);
  const count = d.H * d.N2;
  const v = scope.storage('v', count * 8); // (H, N2) complex
  const x = scope.storage('x', count * 8); // (H, N2) complex
  const K = scope.storage('K', d.H * d.L * 4); // (H, L)
  const Kc = scope.storage('Kc', d.H * d.L * 8); // (H, L) complex
  const [prep, vander] = await s4dKernelKernels(gpu, !!b.trace);
  const g = grids(gpu, d);
  const pp = uniformFor(scope, prep, { count, perDt: d.N2, mode: d.mode });
  const pv = uniformFor(scope, vander, {
    H: d.H,
    N2: d.N2,
    L: d.L,
    scale: d.scale,
    blocks: g.blocks,
    count: g.vander.count,
    wgBase: g.prep.count,
  });
  const dispatches: Dispatch[] = [
    {
      kernel: prep,
      bindings: { p: pp.buffer, A: b.A, B: b.B, C: b.C, dt: b.dt, v, x, trace },
      workgroups: g.prep.workgroups,
    },
    { kernel: vander, bindings: { p: pv.buffer, v, x, K, Kc, trace }, workgroups: g.vander.workgroups },
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
  opts: RunOptions = {},
) {
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
  return inScope(gpu, label, async (scope) => {
    const d = { H, N2: count / H, L, mode, scale };
    const trace = opts.trace ? traceBuffer(scope, s4dTraceCapacity(gpu, d)) : undefined;
    const r = await s4dKernelDispatches(gpu, scope, d, {
      trace,
      A: scope.upload('A', interleave(A)),
      B: scope.upload('B', interleave(B)),
      C: scope.upload('C', interleave(C)),
      dt: scope.upload('dt', Float32Array.from(dt)),
    });
    const run = await runDispatches(gpu, label, r.dispatches, opts);
    return {
      K: await readF32(gpu, r.K, H * L),
      Kc: deinterleave(await readF32(gpu, r.Kc, 2 * H * L)),
      trace: trace ? await readTrace(gpu, trace, S4D_TRACE) : null,
      ...run,
    };
  });
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
      const r = await s4dKernelGpu(gpu, p.disc === 'zoh' ? 0 : 1, x.A, x.B, x.C, x.dt, p.L, 2, opts);
      return runResult({ K: r.K }, r);
    },
    tolerance: 1e-4,
  };
