// What the Mamba family's GPU programs share: the packed buffers the three selective-scan kernels bind (at
// most 8 storage buffers per kernel, the portable limit), the values of their shared ScanParams uniform
// (shaders/mamba/selectiveScanParams.wgsl), the fused scan's trace table, seeded inputs, and a Program's
// RunResult from what a *Gpu function returns (each runs in runAndRead, engine/gpu/run.ts).

import type { Gpu } from '../../gpu/device';
import type { Dispatch } from '../../gpu/kernel';
import { type RunRecord, runAndRead } from '../../gpu/run';
import type { BufferScope } from '../../gpu/tensor';
import type { UniformValues } from '../../gpu/uniforms';
import {
  bcLength,
  bcStrides,
  checkSelectiveScan,
  type SelectiveScanInputs,
  type SelectiveScanOutputs,
  type SelectiveScanParams,
  selectiveScan,
} from '../../reference/mamba';
import type { TraceCapture } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions, RunResult } from '../program';

/** Trace tensors of the fused scan (shaders/mamba/selectiveScanChunked.wgsl); 'pairs': its scan levels. */
export const SELECTIVE_SCAN_TRACE = traceTable([
  'u',
  'delta',
  'B',
  'C',
  'z',
  'out',
  'last_state',
  'carry',
  'A',
  'D',
  'delta_bias',
  'pairs',
]);

/** The WGSL every scan kernel starts with: math, grid folding, accurate cexp, the shared Params and reads. */
export const SCAN_SOURCES = [
  'common/math.wgsl',
  'common/grid.wgsl',
  'common/complex.wgsl',
  'mamba/selectiveScanParams.wgsl',
];

/** The scan's inputs on the device, as the kernels bind them (bindings 1..3). */
export interface ScanBuffers {
  /** u | δ | z, each (batch, D, L); z only when `z`. */
  seq: GPUBuffer;
  /** B (bcLength(bGroups)) then C (bcLength(cGroups)). */
  bc: GPUBuffer;
  /** A (D, N, 2) | D (D,) | delta_bias (D,); absent D and bias are zeros. */
  chan: GPUBuffer;
  /** seq carries z: the output is gated by silu(z). */
  z: boolean;
}

/** The scan's outputs on the device. */
export interface ScanOutputBuffers {
  out: GPUBuffer; // (batch, D, L)
  lastState: GPUBuffer; // (batch, D, N) or (batch, D, N, 2) for complex A
}

export const scanRows = (p: SelectiveScanParams): number => p.batch * p.D;
export const stateLength = (p: SelectiveScanParams): number => scanRows(p) * p.N * (p.complex ? 2 : 1);

/** Uploads the host inputs into the three packed buffers. */
export function packScan(scope: BufferScope, p: SelectiveScanParams, x: SelectiveScanInputs): ScanBuffers {
  checkSelectiveScan(p, x);
  const { D, N } = p;
  const n = scanRows(p) * p.L;
  const seq = new Float32Array(x.z ? 3 * n : 2 * n);
  seq.set(x.u, 0);
  seq.set(x.delta, n);
  if (x.z) seq.set(x.z, 2 * n);
  const lb = bcLength(p, p.bGroups);
  const bc = new Float32Array(lb + bcLength(p, p.cGroups));
  bc.set(x.B, 0);
  bc.set(x.C, lb);
  const chan = new Float32Array(2 * D * N + 2 * D);
  for (let i = 0; i < D * N; i++) {
    chan[2 * i] = x.A[i];
    chan[2 * i + 1] = x.Aim?.[i] ?? 0;
  }
  if (x.Dskip) chan.set(x.Dskip, 2 * D * N);
  if (x.deltaBias) chan.set(x.deltaBias, 2 * D * N + D);
  return {
    seq: scope.upload('seq', seq),
    bc: scope.upload('bc', bc),
    chan: scope.upload('chan', chan),
    z: x.z !== undefined,
  };
}

/** The ScanParams uniform (selectiveScanParams.wgsl) for params p, z gating on or off. */
export function scanParams(p: SelectiveScanParams, z: boolean): UniformValues {
  const n = scanRows(p) * p.L;
  const sB = bcStrides(p, p.bGroups);
  const sC = bcStrides(p, p.cGroups);
  return {
    batch: p.batch,
    D: p.D,
    L: p.L,
    N: p.N,
    softplusOn: p.deltaSoftplus ? 1 : 0,
    hasZ: z ? 1 : 0,
    offDelta: n,
    offZ: 2 * n,
    offC: bcLength(p, p.bGroups),
    bBatch: sB.sb,
    bGroup: sB.sg,
    bState: sB.sn,
    bTime: sB.st,
    bPerGroup: sB.perGroup,
    cBatch: sC.sb,
    cGroup: sC.sg,
    cState: sC.sn,
    cTime: sC.st,
    cPerGroup: sC.perGroup,
  };
}

/** Storage for the scan's outputs. */
export function scanOutputs(scope: BufferScope, p: SelectiveScanParams): ScanOutputBuffers {
  // Zeroed from the host: Dawn would otherwise clear them inside the first (timed) pass that writes them.
  return {
    out: scope.zeroed('out', scanRows(p) * p.L * 4),
    lastState: scope.zeroed('lastState', stateLength(p) * 4),
  };
}

/** Seeded inputs with Mamba-like magnitudes: A = -exp(log n) (S4D-real) or complex S4D-lin, δ near softplus⁻¹(0.01..0.1). */
export function makeScanInputs(
  p: SelectiveScanParams,
  seed: number,
  withOptional = true,
): SelectiveScanInputs {
  const rng = new Rng(seed);
  const { batch, D, L, N } = p;
  const A = new Float32Array(D * N);
  const Aim = p.complex ? new Float32Array(D * N) : undefined;
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < N; k++) {
      A[d * N + k] = p.complex ? -0.5 : -(k + 1);
      if (Aim) Aim[d * N + k] = Math.fround(Math.PI * k);
    }
  }
  return {
    u: rng.normals(batch * D * L),
    delta: rng.uniforms(batch * D * L, -4.5, -2),
    A,
    Aim,
    B: rng.normals(bcLength(p, p.bGroups)),
    C: rng.normals(bcLength(p, p.cGroups)),
    Dskip: withOptional ? rng.normals(D) : undefined,
    z: withOptional ? rng.normals(batch * D * L) : undefined,
    deltaBias: withOptional ? rng.uniforms(D, -0.5, 0.5) : undefined,
  };
}

/** Host values as float32 for upload; an absent optional input becomes `fill` zeros. */
export function f32(v: ArrayLike<number> | undefined, fill = 1): Float32Array {
  return v ? Float32Array.from(v) : new Float32Array(fill);
}

/** What a family *Gpu function returns besides its outputs (runAndRead, engine/gpu/run.ts, gives the first two). */
export interface GpuRun extends RunRecord {
  trace?: TraceCapture | null;
}

/** A Program's RunResult from a *Gpu result and the outputs picked from it. */
export function runResult<O extends Record<string, Host>>(r: GpuRun, outputs: O): RunResult<O> {
  return { outputs, gpuMs: r.gpuMs, trace: r.trace ?? null, dispatches: r.dispatches };
}

/**
 * A scan run with no trace: the inputs packed, the outputs made, `dispatch` on them in one submission, out
 * and lastState read back (the row and sequential scans; the chunked one adds its trace).
 */
export function runScan(
  gpu: Gpu,
  label: string,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  time: boolean | undefined,
  dispatch: (scope: BufferScope, b: ScanBuffers & ScanOutputBuffers) => Promise<Dispatch>,
) {
  return runAndRead(
    gpu,
    label,
    async (scope) => {
      const o = scanOutputs(scope, p);
      return {
        dispatches: [await dispatch(scope, { ...packScan(scope, p, x), ...o })],
        read: { out: [o.out, scanRows(p) * p.L], lastState: [o.lastState, stateLength(p)] },
      };
    },
    time,
  );
}

/** A Program's run through a family *Gpu function: its outputs are the fields `names` of what that returns. */
export function runPicking<P, X, const K extends string>(
  names: readonly K[],
  gpuRun: (gpu: Gpu, p: P, x: X, opts?: RunOptions) => Promise<Record<K, Float32Array> & GpuRun>,
) {
  return async (gpu: Gpu, p: P, x: X, opts: RunOptions = {}): Promise<RunResult<Record<K, Host>>> => {
    const r = await gpuRun(gpu, p, x, opts);
    const outputs = {} as Record<K, Host>;
    for (const n of names) outputs[n] = r[n];
    return runResult(r, outputs);
  };
}

type ScanGpu = (
  gpu: Gpu,
  p: SelectiveScanParams,
  x: SelectiveScanInputs,
  opts?: RunOptions,
) => Promise<{ out: Float32Array; lastState: Float32Array } & GpuRun>;

/** A selective-scan Program (same inputs, reference and outputs for every GPU form). */
export function scanProgram(
  id: string,
  title: string,
  gpuRun: ScanGpu,
): Program<SelectiveScanParams, SelectiveScanInputs, SelectiveScanOutputs> {
  return {
    id,
    title,
    makeInputs: (p, seed) => makeScanInputs(p, seed),
    reference: (p, x) => selectiveScan(p, x),
    run: runPicking(['out', 'lastState'], gpuRun),
    tolerance: 1e-4,
  };
}
