// mamba2Combined: the full Mamba-2 SSD op (ssd_chunk_scan_combined_ref): Δ' = softplus(Δ + dt_bias),
// the chunked SSD kernels on X = x·Δ' and A·Δ', then (y + D x)·silu(z), all six dispatches in one
// submission (one trace, one record of what ran). Groups: head hh uses B/C group hh / (H / G). The
// RMSNorm gate of the Mamba-2 module is not part of this op.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, type DispatchRecord, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import type { SsdDims } from '../../reference/ssd';
import { mamba2Combined } from '../../reference/ssdChunked';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import {
  checkSsdRun,
  elementDispatch,
  elementKernel,
  nChunks,
  readSlice,
  SSD_TRACE,
  type SsdBuffers,
  type SsdPlan,
  ssdBuffers,
  ssdPlan,
  ssdTraceCapacity,
} from './common';
import { ssdChunkedDispatch } from './ssdChunked';

export interface Mamba2Params extends SsdDims {
  Q: number;
  dtSoftplus: boolean;
}

export interface Mamba2HostInputs {
  x: Float32Array; // (batch, T, H, P)
  dt: Float32Array; // (batch, T, H) raw Δ
  A: Float32Array; // (H,) negative
  B: Float32Array; // (batch, T, G, N)
  C: Float32Array; // (batch, T, G, N)
  D?: Float32Array | null; // (H,) or (H, P)
  z?: Float32Array | null; // (batch, T, H, P)
  dtBias?: Float32Array | null; // (H,)
}

export function checkMamba2(p: Mamba2Params, x: Mamba2HostInputs): void {
  checkSsdRun(p, p.Q, 'mamba2');
  const bth = p.batch * p.T * p.H;
  const want: Array<[string, Float32Array | null | undefined, number[]]> = [
    ['x', x.x, [bth * p.P]],
    ['dt', x.dt, [bth]],
    ['A', x.A, [p.H]],
    ['B', x.B, [p.batch * p.T * p.G * p.N]],
    ['C', x.C, [p.batch * p.T * p.G * p.N]],
    ['D', x.D, [p.H, p.H * p.P]],
    ['z', x.z, [bth * p.P]],
    ['dt_bias', x.dtBias, [p.H]],
  ];
  for (const [name, a, ok] of want) {
    if (a && !ok.includes(a.length))
      throw new EngineError('mamba2', `${name} has ${a.length} values, want ${ok.join(' or ')}`);
  }
}

export interface Mamba2Buffers {
  x: GPUBuffer; // (batch, T, H, P)
  dt: GPUBuffer; // (batch, T, H) raw Δ
  Ahead: GPUBuffer; // (H,)
  dtBias: GPUBuffer; // (H,), or a placeholder
  D: GPUBuffer; // (H,) or (H, P), or a placeholder
  z: GPUBuffer; // (batch, T, H, P), or a placeholder
  dtOut: GPUBuffer; // (batch, T, H) Δ'
  /** The SSD buffers, X = x·Δ' and A = A·Δ' written by the prep dispatch. */
  ssd: SsdBuffers;
  out: GPUBuffer; // (batch, T, H, P)
}

/** Which optional inputs are present: the prep and gate kernels' switches. */
export interface Mamba2Flags {
  hasBias: boolean;
  /** 0: no D, 1: D (H,), 2: D (H, P). */
  dMode: 0 | 1 | 2;
  hasZ: boolean;
}

export const mamba2Flags = (p: Mamba2Params, x: Mamba2HostInputs): Mamba2Flags => ({
  hasBias: !!x.dtBias,
  dMode: x.D ? (x.D.length === p.H ? 1 : 2) : 0,
  hasZ: !!x.z,
});

/** Uploads the inputs and allocates everything the op writes, in `scope`. */
export function mamba2Buffers(
  scope: BufferScope,
  p: Mamba2Params,
  x: Mamba2HostInputs,
  trace: GPUBuffer,
): Mamba2Buffers {
  const bth = p.batch * p.T * p.H;
  const opt = (name: string, a: Float32Array | null | undefined) =>
    a ? scope.upload(name, a) : scope.storage(name, 4);
  const X = scope.storage('X', bth * p.P * 4);
  const Adt = scope.storage('Adt', bth * 4);
  return {
    x: scope.upload('x', x.x),
    dt: scope.upload('dt', x.dt),
    Ahead: scope.upload('Ahead', x.A),
    dtBias: opt('dtBias', x.dtBias),
    D: opt('D', x.D),
    z: opt('z', x.z),
    dtOut: scope.storage('dtSoftplus', bth * 4),
    ssd: ssdBuffers(scope, p, p.Q, { X, A: Adt, B: x.B, C: x.C }, null, trace),
    out: scope.storage('out', bth * p.P * 4),
  };
}

export const mamba2PrepKernel = (gpu: Gpu) =>
  elementKernel(gpu, 'mamba2.prep', ['common/math.wgsl', 'ssd/mamba2Prep.wgsl']);
export const mamba2GateKernel = (gpu: Gpu) =>
  elementKernel(gpu, 'mamba2.gate', ['common/math.wgsl', 'ssd/mamba2Gate.wgsl']);

/**
 * The two elementwise ends of the op on the given buffers: prep, the Δ discretization (X = x·Δ', A·Δ'
 * and Δ' into b.ssd.X, b.ssd.A and b.dtOut), and gate, the output out = (b.ssd.Y + D x)·silu(z).
 */
export async function mamba2EndsDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: Mamba2Params,
  b: Mamba2Buffers,
  f: Mamba2Flags,
): Promise<{ prep: Dispatch; gate: Dispatch }> {
  const [prepK, gateK] = await Promise.all([mamba2PrepKernel(gpu), mamba2GateKernel(gpu)]);
  const { H, P } = p;
  const bth = p.batch * p.T * H;
  const softplusOn = p.dtSoftplus ? 1 : 0;
  const prep = elementDispatch(
    gpu,
    scope,
    prepK,
    { count: bth, H, P, hasBias: f.hasBias ? 1 : 0, softplusOn },
    { x: b.x, dt: b.dt, Ahead: b.Ahead, dtBias: b.dtBias, X: b.ssd.X, Adt: b.ssd.A, dtOut: b.dtOut },
  );
  const gate = elementDispatch(
    gpu,
    scope,
    gateK,
    { count: bth * P, H, P, dMode: f.dMode, hasZ: f.hasZ ? 1 : 0 },
    { y: b.ssd.Y, x: b.x, D: b.D, z: b.z, out: b.out },
  );
  return { prep, gate };
}

/** The whole op on the given buffers: prep, the four SSD phases over every chunk, gate. */
export async function mamba2Dispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: Mamba2Params,
  plan: SsdPlan,
  b: Mamba2Buffers,
  f: Mamba2Flags,
): Promise<Dispatch[]> {
  const { prep, gate } = await mamba2EndsDispatch(gpu, scope, p, b, f);
  return [prep, ...ssdChunkedDispatch(gpu, scope, plan, b.ssd), gate];
}

export interface Mamba2Result {
  out: Float32Array; // (batch, T, H, P)
  gpuMs: number | null;
  trace: TraceCapture | null;
  dispatches: DispatchRecord[];
}

export async function mamba2Gpu(
  gpu: Gpu,
  params: Mamba2Params,
  x: Mamba2HostInputs,
  opts: RunOptions = {},
): Promise<Mamba2Result> {
  checkMamba2(params, x);
  // A chunk longer than the sequence is one chunk of length T.
  const p = { ...params, Q: Math.min(params.Q, params.T) };
  const scope = new BufferScope(gpu, 'mamba2');
  try {
    const plan = await ssdPlan(gpu, p, p.Q, { trace: opts.trace });
    const cap = opts.trace ? ssdTraceCapacity(p, p.Q, plan.tiles, nChunks(p.T, p.Q)) : 1;
    const b = mamba2Buffers(scope, p, x, traceBuffer(scope, cap));
    const dispatches = await mamba2Dispatch(gpu, scope, p, plan, b, mamba2Flags(p, x));
    const run = await runDispatches(gpu, 'mamba2', dispatches, { time: opts.time });
    return {
      out: await readSlice(gpu, scope, b.out, 0, p.batch * p.T * p.H * p.P),
      gpuMs: run.gpuMs,
      trace: opts.trace ? await readTrace(gpu, b.ssd.trace, SSD_TRACE) : null,
      dispatches: run.dispatches,
    };
  } finally {
    scope.release();
  }
}

/** Seeded inputs shaped like a Mamba-2 layer: A = −exp(A_log) in (−16, −1), dt_bias = inv_softplus(Δ). */
export function makeMamba2Inputs(p: Mamba2Params, seed: number): Mamba2HostInputs {
  const rng = new Rng(seed);
  const bth = p.batch * p.T * p.H;
  const dts = rng.uniforms(p.H, Math.log(1e-3), Math.log(1e-1)).map(Math.exp);
  return {
    x: rng.normals(bth * p.P),
    dt: rng.normals(bth, 0.5),
    A: rng.uniforms(p.H, -16, -1),
    B: rng.normals(p.batch * p.T * p.G * p.N, 0.5),
    C: rng.normals(p.batch * p.T * p.G * p.N, 0.5),
    D: rng.normals(p.H),
    z: rng.normals(bth * p.P),
    dtBias: Float32Array.from(dts, (d) => d + Math.log(-Math.expm1(-d))),
  };
}

export const mamba2Program: Program<Mamba2Params, Mamba2HostInputs, { out: Host }> = {
  id: 'mamba2Combined',
  title: 'Mamba-2 SSD op: softplus Δ, chunked SSD, D skip, silu(z) gate',
  makeInputs: makeMamba2Inputs,
  reference: (p, x) => ({ out: mamba2Combined(p, p.Q, x, p.dtSoftplus) }),
  async run(gpu, p, x, opts = {}) {
    const { out, gpuMs, trace, dispatches } = await mamba2Gpu(gpu, p, x, opts);
    return { outputs: { out }, gpuMs, trace, dispatches };
  },
  tolerance: 1e-4,
};
