// mamba2Combined: the full Mamba-2 SSD op (ssd_chunk_scan_combined_ref): Δ' = softplus(Δ + dt_bias),
// the chunked SSD kernels on X = x·Δ' and A·Δ', then (y + D x)·silu(z). Groups: head hh uses B/C group
// hh / (H / G). The RMSNorm gate of the Mamba-2 module is not part of this op.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import type { SsdDims } from '../../reference/ssd';
import { mamba2Combined } from '../../reference/ssdChunked';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import { readSlice, runSsdPhases, ssdBuffers } from './ssdChunked';
import { checkSsdRun, nChunks, SSD_TENSORS, ssdTiles, ssdTraceCapacity } from './common';
import type { Host, Program } from '../program';

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

const WG = 64;

/** A 1-D grid of `n` workgroups folded into (x, y) under the per-dimension limit. */
export function grid1d(n: number): [number, number] {
  const x = Math.min(Math.max(n, 1), 65535);
  return [x, Math.ceil(n / x)];
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

/** The Δ discretization dispatch: writes X = x·Δ', A·Δ' and Δ' into fresh buffers of `scope`. */
export async function mamba2PrepDispatch(gpu: Gpu, scope: BufferScope, p: Mamba2Params, x: Mamba2HostInputs) {
  const bth = p.batch * p.T * p.H;
  const k = await kernel(gpu, {
    label: 'mamba2.prep',
    sources: ['common/math.wgsl', 'ssd/mamba2Prep.wgsl'],
    constants: { WG },
  });
  const X = scope.storage('X', bth * p.P * 4);
  const Adt = scope.storage('Adt', bth * 4);
  const dt = scope.storage('dtSoftplus', bth * 4);
  const dispatch: Dispatch = {
    kernel: k,
    bindings: [
      scope.uniform('prepParams', [
        ['u32', bth],
        ['u32', p.H],
        ['u32', p.P],
        ['u32', x.dtBias ? 1 : 0],
        ['u32', p.dtSoftplus ? 1 : 0],
      ]),
      scope.upload('x', x.x),
      scope.upload('dt', x.dt),
      scope.upload('Ahead', x.A),
      x.dtBias ? scope.upload('dtBias', x.dtBias) : scope.storage('dtBias', 4),
      X,
      Adt,
      dt,
    ],
    workgroups: grid1d(Math.ceil(bth / WG)),
  };
  return { dispatch, X, Adt, dt, xBuf: dispatch.bindings[1] };
}

/** The output dispatch: out = (y + D x)·silu(z). */
export async function mamba2GateDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: Mamba2Params,
  x: Mamba2HostInputs,
  y: GPUBuffer,
  xBuf: GPUBuffer,
) {
  const n = p.batch * p.T * p.H * p.P;
  const k = await kernel(gpu, {
    label: 'mamba2.gate',
    sources: ['common/math.wgsl', 'ssd/mamba2Gate.wgsl'],
    constants: { WG },
  });
  const out = scope.storage('out', n * 4);
  const dMode = x.D ? (x.D.length === p.H ? 1 : 2) : 0;
  const dispatch: Dispatch = {
    kernel: k,
    bindings: [
      scope.uniform('gateParams', [
        ['u32', n],
        ['u32', p.H],
        ['u32', p.P],
        ['u32', dMode],
        ['u32', x.z ? 1 : 0],
      ]),
      y,
      xBuf,
      x.D ? scope.upload('D', x.D) : scope.storage('D', 4),
      x.z ? scope.upload('z', x.z) : scope.storage('z', 4),
      out,
    ],
    workgroups: grid1d(Math.ceil(n / WG)),
  };
  return { dispatch, out };
}

export async function mamba2Gpu(
  gpu: Gpu,
  params: Mamba2Params,
  x: Mamba2HostInputs,
  opts: { trace?: boolean; time?: boolean } = {},
): Promise<{ out: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  checkMamba2(params, x);
  // A chunk longer than the sequence is one chunk of length T.
  const p = { ...params, Q: Math.min(params.Q, params.T) };
  const scope = new BufferScope(gpu, 'mamba2');
  try {
    const prep = await mamba2PrepDispatch(gpu, scope, p, x);
    const prepRun = await runDispatches(gpu, 'mamba2.prep', [prep.dispatch], opts);
    const cap = opts.trace ? ssdTraceCapacity(p, p.Q, ssdTiles(p, p.Q), nChunks(p.T, p.Q)) : 1;
    const tbuf = traceBuffer(scope, cap);
    const bufs = ssdBuffers(scope, p, p.Q, { X: prep.X, A: prep.Adt, B: x.B, C: x.C }, null, tbuf);
    const core = await runSsdPhases(gpu, scope, 'mamba2.ssd', p, p.Q, bufs, false, opts);
    const gate = await mamba2GateDispatch(gpu, scope, p, x, bufs.Y, prep.xBuf);
    const gateRun = await runDispatches(gpu, 'mamba2.gate', [gate.dispatch], opts);
    const out = await readSlice(gpu, scope, gate.out, 0, p.batch * p.T * p.H * p.P);
    const times = [prepRun.gpuMs, core.gpuMs, gateRun.gpuMs];
    const gpuMs = times.every((t) => t !== null) ? times.reduce((a, b) => (a ?? 0) + (b ?? 0), 0) : null;
    const trace = opts.trace ? await readTrace(gpu, tbuf, SSD_TENSORS) : null;
    return { out, gpuMs, trace };
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
    const { out, gpuMs, trace } = await mamba2Gpu(gpu, p, x, opts);
    return { outputs: { out }, gpuMs, trace };
  },
  tolerance: 1e-4,
};
