// ssdChunked: the chunked SSD algorithm (Mamba-2 Listing 1, ssd_minimal_discrete) on the GPU as four
// kernels; T need not be a multiple of the chunk Q. The Mamba-2 wrapper (Δ, D, z) is mamba2Combined.ts.

import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, createStorage, dispose, readback } from '../../gpu/tensor';
import { checkSsdInputs, type SsdDims } from '../../reference/ssd';
import { ssdChunked } from '../../reference/ssdChunked';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import {
  checkSsdRun,
  nChunks,
  phaseDispatch,
  SSD_TENSORS,
  type SsdBuffers,
  ssdKernels,
  ssdTiles,
  ssdTraceCapacity,
  ssdUniform,
} from './common';
import type { Host, Program } from '../program';

export interface SsdParams extends SsdDims {
  /** Chunk length Q. */
  Q: number;
  /** Whether makeInputs draws an initial state. */
  withInit?: boolean;
}

export interface SsdHostInputs {
  X: Float32Array; // (batch, T, H, P) already times Δ
  A: Float32Array; // (batch, T, H) already A·Δ (≤ 0)
  B: Float32Array; // (batch, T, G, N)
  C: Float32Array; // (batch, T, G, N)
  init?: Float32Array | null; // (batch, H, P, N)
}

export type SsdOutputs = { Y: Host; finalState: Host }; // (batch, T, H, P), (batch, H, P, N)

/** Seeded SSD inputs: A·Δ uniform in (−0.8, −0.01), X scaled like x·Δ. */
export function makeSsdInputs(p: SsdParams, seed: number): SsdHostInputs {
  const rng = new Rng(seed);
  const bt = p.batch * p.T;
  return {
    X: rng.normals(bt * p.H * p.P, 0.3),
    A: rng.uniforms(bt * p.H, -0.8, -0.01),
    B: rng.normals(bt * p.G * p.N, 0.5),
    C: rng.normals(bt * p.G * p.N, 0.5),
    init: p.withInit ? rng.normals(p.batch * p.H * p.P * p.N, 0.5) : null,
  };
}

/** Allocates the SSD buffers in `scope` and uploads the inputs (X and A may already live on the GPU). */
export function ssdBuffers(
  scope: BufferScope,
  d: SsdDims,
  Q: number,
  x: { X: GPUBuffer | Float32Array; A: GPUBuffer | Float32Array; B: Float32Array; C: Float32Array },
  init: Float32Array | null | undefined,
  trace: GPUBuffer,
): SsdBuffers {
  const nC = nChunks(d.T, Q);
  const sn = d.batch * d.H * d.P * d.N * 4;
  const yBytes = d.batch * d.T * d.H * d.P * 4;
  const up = (name: string, v: GPUBuffer | Float32Array) =>
    v instanceof Float32Array ? scope.upload(name, v) : v;
  return {
    X: up('X', x.X),
    A: up('A', x.A),
    B: scope.upload('B', x.B),
    C: scope.upload('C', x.C),
    init: init ? scope.upload('init', init) : scope.storage('init', 4),
    Ydiag: scope.storage('Ydiag', yBytes),
    Acum: scope.storage('Acum', d.batch * d.T * d.H * 4),
    states: scope.storage('states', nC * sn),
    passed: scope.storage('passed', (nC + 1) * sn),
    Y: scope.storage('Y', yBytes),
    trace,
  };
}

/** Copies `count` f32 values from `src` at element `offset` into a temporary buffer and reads them back. */
export async function readSlice(gpu: Gpu, scope: BufferScope, src: GPUBuffer, offset: number, count: number) {
  const dst = createStorage(gpu, `${scope.prefix}.slice`, count * 4);
  try {
    const enc = gpu.device.createCommandEncoder({ label: `${src.label}.slice` });
    enc.copyBufferToBuffer(src, offset * 4, dst, 0, count * 4);
    gpu.device.queue.submit([enc.finish()]);
    return new Float32Array(await readback(gpu, dst, count * 4));
  } finally {
    dispose(gpu, dst);
  }
}

/** Runs all four phases over every chunk on buffers already in `scope`; returns GPU time. */
export async function runSsdPhases(
  gpu: Gpu,
  scope: BufferScope,
  label: string,
  d: SsdDims,
  Q: number,
  bufs: SsdBuffers,
  hasInit: boolean,
  opts: { trace?: boolean; time?: boolean },
) {
  const tiles = ssdTiles(d, Q);
  const k = await ssdKernels(gpu, label, tiles, !!opts.trace);
  const nC = nChunks(d.T, Q);
  const uni = ssdUniform(scope, 'params', d, Q, 0, nC, hasInit);
  const dispatches = ([1, 2, 3, 4] as const).map((ph) => phaseDispatch(ph, k, tiles, d, Q, uni, bufs, 0, nC));
  return runDispatches(gpu, label, dispatches, { time: opts.time });
}

export async function ssdChunkedGpu(
  gpu: Gpu,
  params: SsdParams,
  x: SsdHostInputs,
  opts: { trace?: boolean; time?: boolean } = {},
): Promise<{ Y: Float32Array; finalState: Float32Array; gpuMs: number | null; trace: TraceCapture | null }> {
  checkSsdRun(params, params.Q, 'ssdChunked');
  checkSsdInputs(params, x, 'ssdChunked');
  // A chunk longer than the sequence is one chunk of length T.
  const p = { ...params, Q: Math.min(params.Q, params.T) };
  const scope = new BufferScope(gpu, 'ssdChunked');
  try {
    const tiles = ssdTiles(p, p.Q);
    const nC = nChunks(p.T, p.Q);
    const tbuf = traceBuffer(scope, opts.trace ? ssdTraceCapacity(p, p.Q, tiles, nC) : 1);
    const bufs = ssdBuffers(scope, p, p.Q, x, x.init, tbuf);
    const { gpuMs } = await runSsdPhases(gpu, scope, 'ssdChunked', p, p.Q, bufs, !!x.init, opts);
    const sn = p.batch * p.H * p.P * p.N;
    const Y = await readSlice(gpu, scope, bufs.Y, 0, p.batch * p.T * p.H * p.P);
    const finalState = await readSlice(gpu, scope, bufs.passed, nC * sn, sn);
    const trace = opts.trace ? await readTrace(gpu, tbuf, SSD_TENSORS) : null;
    return { Y, finalState, gpuMs, trace };
  } finally {
    scope.release();
  }
}

export const ssdChunkedProgram: Program<SsdParams, SsdHostInputs, SsdOutputs> = {
  id: 'ssdChunked',
  title: 'Chunked SSD: diagonal blocks, chunk states, state passing, state to output',
  makeInputs: makeSsdInputs,
  reference(p, x) {
    const r = ssdChunked(p, p.Q, x);
    return { Y: r.Y, finalState: r.finalState };
  },
  async run(gpu, p, x, opts = {}) {
    const r = await ssdChunkedGpu(gpu, p, x, opts);
    return { outputs: { Y: r.Y, finalState: r.finalState }, gpuMs: r.gpuMs, trace: r.trace };
  },
  tolerance: 1e-4,
};
