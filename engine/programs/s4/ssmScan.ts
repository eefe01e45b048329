// ssmScan: the recurrence x_k = Ā x_{k-1} + B̄ u_k, y_k = C x_k + D u_k for a dense Ā (N,N), sequential over
// k in one GPU workgroup. Also serves the Krylov kernel (u = δ, see s4Kernel.ts) and the one-step stepper.
// Diagonal (complex) Ā lives in diagScan.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { type Uniform, uniformFrom } from '../../gpu/uniforms';
import { inScope } from '../../gpu/run';
import { ssmScanDense } from '../../reference/s4';
import { readTrace, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkN, type DenseSize, type DiscreteSsm, type GpuRun, MAX_DENSE_N, runResult } from './common';

export const SCAN_TRACE = traceTable(['Abar', 'Bbar', 'C', 'u', 'x', 'y', 'states']);
const WG_MEMORY_BUDGET = 16384;

export interface ScanWindow {
  N: number;
  /** Length of u, y and states. */
  L: number;
  k0: number;
  steps: number;
  hasX0: boolean;
  writeStates: boolean;
  impulse: boolean;
  D: number;
}

/** Ā, B̄, C and u as SsmScanInputs holds them, and the state, outputs and trace. */
export interface ScanBuffers extends Record<keyof SsmScanInputs, GPUBuffer> {
  x: GPUBuffer; // (N,) read (hasX0) and written (final state)
  y: GPUBuffer; // (L,)
  states: GPUBuffer; // (L, N), or a placeholder when !writeStates
  trace: GPUBuffer;
}

/** The scan's split: R invocations per row of the matvec, WG invocations in all. */
export function scanLayout(N: number) {
  let R = 1;
  while (R < 8 && 2 * R * N <= 256) R *= 2;
  return { R, WG: R * Math.min(N, Math.floor(256 / R)) };
}

/** How many rows of Ā fit in workgroup memory beside the state and the partial sums. */
export function scanRowsInWorkgroup(gpu: Gpu, N: number): number {
  const budget = Math.min(WG_MEMORY_BUDGET, gpu.limits.maxComputeWorkgroupStorageSize);
  const { R } = scanLayout(N);
  const NS = N % 2 === 1 ? N : N + 1;
  const fixed = 4 * (2 * N + N * R + R + 4);
  return Math.max(0, Math.min(N, Math.floor((budget - fixed) / (4 * NS))));
}

export async function ssmScanKernel(gpu: Gpu, N: number, trace = false) {
  const rows = scanRowsInWorkgroup(gpu, N);
  const { R, WG } = scanLayout(N);
  const NS = N % 2 === 1 ? N : N + 1;
  const prelude = [
    `const RSPLIT: u32 = ${R}u;`,
    `const A_ROWS: u32 = ${rows}u;`,
    `const NS: u32 = ${NS}u;`,
    `const NA: u32 = ${Math.max(1, rows * NS)}u;`,
    `const NX: u32 = ${N}u;`,
    '',
  ].join('\n');
  return kernel(gpu, {
    label: 'ssmScan.recurrence',
    sources: ['common/trace.wgsl', 's4/ssmScan.wgsl'],
    prelude,
    constants: { WG, TRACE: trace ? 1 : 0 },
    trace: SCAN_TRACE,
  });
}

export async function ssmScanDispatch(
  gpu: Gpu,
  scope: BufferScope,
  w: ScanWindow,
  b: ScanBuffers,
  trace = false,
): Promise<Dispatch & { params: Uniform }> {
  checkN('ssmScan', w.N, MAX_DENSE_N);
  if (!Number.isInteger(w.L) || w.L < 1)
    throw new EngineError('ssmScan', `L must be an integer >= 1 (got ${w.L})`);
  const k = await ssmScanKernel(gpu, w.N, trace);
  const params = uniformFrom(scope, k, w);
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: [1], params };
}

export interface ScanResult extends GpuRun {
  y: Float32Array; // (L,)
  x_final: Float32Array; // (N,)
  states: Float32Array | null; // (L, N)
}

/** Runs the whole scan: u (L,), optional x0 (N,), y_k = C x_k + D u_k. */
export async function ssmScanGpu(
  gpu: Gpu,
  Abar: Float32Array,
  Bbar: Float32Array,
  C: Float32Array,
  u: Float32Array,
  opts: RunOptions & { x0?: Float32Array | null; D?: number; states?: boolean } = {},
): Promise<ScanResult> {
  const N = Bbar.length;
  const L = u.length;
  if (Abar.length !== N * N || C.length !== N || (opts.x0 && opts.x0.length !== N))
    throw new EngineError('ssmScan', `Ā must be (N,N) with B̄, C${opts.x0 ? ', x0' : ''} (N,), N=${N}`);
  return inScope(gpu, 'ssmScan', async (scope) => {
    const writeStates = opts.states ?? false;
    const b: ScanBuffers = {
      Abar: scope.upload('Abar', Abar),
      Bbar: scope.upload('Bbar', Bbar),
      C: scope.upload('C', C),
      u: scope.upload('u', u),
      x: opts.x0 ? scope.upload('x', opts.x0) : scope.storage('x', N * 4),
      y: scope.storage('y', L * 4),
      states: scope.storage('states', writeStates ? L * N * 4 : 4),
      trace: traceBuffer(scope, opts.trace ? 16 : 1),
    };
    const w = { N, L, k0: 0, steps: L, hasX0: !!opts.x0, writeStates, impulse: false, D: opts.D ?? 0 };
    const d = await ssmScanDispatch(gpu, scope, w, b, opts.trace);
    const { gpuMs, dispatches } = await runDispatches(gpu, 'ssmScan', [d], { time: opts.time });
    return {
      y: await readF32(gpu, b.y, L),
      x_final: await readF32(gpu, b.x, N),
      states: writeStates ? await readF32(gpu, b.states, L * N) : null,
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, b.trace, SCAN_TRACE) : null,
      dispatches,
    };
  });
}

export type SsmScanParams = DenseSize;
export interface SsmScanInputs extends DiscreteSsm {
  u: Float32Array; // (L,)
}
export type SsmScanOutputs = { y: Float32Array | Float64Array; x_final: Float32Array | Float64Array };

export const ssmScanProgram: Program<SsmScanParams, SsmScanInputs, SsmScanOutputs> = {
  id: 'ssmScan',
  title: 'Recurrent view x_k = Ā x_{k-1} + B̄ u_k (dense Ā)',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    // A contraction (spectral radius < 1) so long sequences stay bounded.
    const Abar = rng.normals(p.N * p.N, 0.5 / Math.sqrt(p.N));
    return { Abar, Bbar: rng.normals(p.N), C: rng.normals(p.N, 1 / Math.sqrt(p.N)), u: rng.normals(p.L) };
  },
  reference: (_p, x) => ssmScanDense(x.Abar, x.Bbar, x.C, x.u),
  async run(gpu, _p, x, opts = {}) {
    const r = await ssmScanGpu(gpu, x.Abar, x.Bbar, x.C, x.u, opts);
    return runResult({ y: r.y, x_final: r.x_final }, r);
  },
  tolerance: 1e-4,
};
