// Helpers shared by the S4-family programs: the argument checks every program of the family makes (N, L,
// Δ, the discretization), the WGSL sources the elementwise diagonal kernels share, a Program's RunResult
// from what a <x>Gpu function returns, and the one-round-trip readback of the steppers. The BufferScope
// try/finally of every <x>Gpu function is inScope (engine/gpu/run.ts).
// Complex host arrays: engine/util/complex.ts. Grids: engine/gpu/grid.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import type { RunRecord } from '../../gpu/run';
import type { Disc } from '../../reference/discretize';
import type { TraceCapture } from '../../trace/events';
import type { RunResult } from '../program';

/** The sizes of a dense SSM program: state size N, sequence length L. */
export interface DenseSize {
  N: number;
  L: number;
}

/** A dense discrete SSM on the host. */
export interface DiscreteSsm {
  Abar: Float32Array; // (N, N)
  Bbar: Float32Array; // (N,)
  C: Float32Array; // (N,)
}

/** The dense GPU kernels run in one workgroup with O(N^3) work; past this they refuse rather than stall. */
export const MAX_DENSE_N = 512;

export function checkN(label: string, N: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(N) || N < 1 || N > max)
    throw new EngineError(label, `N must be an integer in 1..${max} (got ${N})`);
}

export function checkL(label: string, L: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(L) || L < 1 || L > max)
    throw new EngineError(label, `L must be an integer in 1..${max} (got ${L})`);
}

export function checkDt(label: string, dt: number): void {
  if (!Number.isFinite(dt) || dt <= 0)
    throw new EngineError(label, `dt must be a finite number > 0 (got ${dt})`);
}

export function checkDisc(label: string, disc: string): asserts disc is Disc {
  if (disc !== 'zoh' && disc !== 'bilinear')
    throw new EngineError(label, `disc must be 'zoh' or 'bilinear' (got ${JSON.stringify(disc)})`);
}

/** The sources of the elementwise diagonal kernels (discretizeDiag, s4dKernel's prep), before their own. */
export const DIAG_SOURCES = [
  'common/math.wgsl',
  'common/complex.wgsl',
  'common/grid.wgsl',
  's4/diagDisc.wgsl',
];

/** What every <x>Gpu function returns beside its outputs. */
export interface GpuRun extends RunRecord {
  trace?: TraceCapture | null;
}

/** A Program's RunResult: the chosen outputs and the run's time, trace and dispatches. */
export function runResult<O>(outputs: O, r: GpuRun): RunResult<O> {
  return { outputs, gpuMs: r.gpuMs, trace: r.trace ?? null, dispatches: r.dispatches };
}

/** A range of a buffer to read: `bytes` from byte `offset`. */
export interface Slice {
  buffer: GPUBuffer;
  offset: number;
  bytes: number;
}

/** Copies the slices, in order, into one staging buffer and maps it: one round trip for a stepper's step. */
export async function readSlices(gpu: Gpu, label: string, slices: readonly Slice[]): Promise<Float32Array> {
  const size = slices.reduce((n, s) => n + s.bytes, 0);
  const staging = gpu.device.createBuffer({ label: `${label}.readback`, size, usage: 0x1 | 0x8 }); // MAP_READ | COPY_DST
  try {
    const enc = gpu.device.createCommandEncoder({ label: `${label}.readback` });
    let at = 0;
    for (const s of slices) {
      enc.copyBufferToBuffer(s.buffer, s.offset, staging, at, s.bytes);
      at += s.bytes;
    }
    gpu.device.queue.submit([enc.finish()]);
    await staging.mapAsync(1);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}
