// ssdChunked: the chunked SSD algorithm (Mamba-2 Listing 1, ssd_minimal_discrete) on the GPU as four
// kernels in one submission; T need not be a multiple of the chunk Q. The kernels and their dispatch
// builders are common.ts's (ssdPhaseKernels, ssdPhaseDispatch); the Mamba-2 wrapper (Δ, D, z) is
// mamba2Combined.ts.

import type { Gpu } from '../../gpu/device';
import { type DispatchRecord, runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { checkSsdInputs, type SsdDims } from '../../reference/ssd';
import { ssdChunked } from '../../reference/ssdChunked';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions } from '../program';
import {
  checkSsdRun,
  nChunks,
  type PhaseDispatch,
  readSlice,
  SSD_TRACE,
  type SsdBuffers,
  type SsdPlan,
  ssdBuffers,
  ssdPhaseDispatches,
  ssdPlan,
  ssdTraceCapacity,
} from './common';

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

/** All four phases over every chunk on the given buffers (Y and passed[nC] hold the results). */
export function ssdChunkedDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: SsdPlan,
  b: SsdBuffers,
): PhaseDispatch[] {
  return ssdPhaseDispatches(gpu, scope, plan, b, 0, nChunks(plan.d.T, plan.Q));
}

export interface SsdChunkedResult {
  Y: Float32Array; // (batch, T, H, P)
  finalState: Float32Array; // (batch, H, P, N)
  gpuMs: number | null;
  trace: TraceCapture | null;
  dispatches: DispatchRecord[];
}

export async function ssdChunkedGpu(
  gpu: Gpu,
  params: SsdParams,
  x: SsdHostInputs,
  opts: RunOptions = {},
): Promise<SsdChunkedResult> {
  checkSsdRun(params, params.Q, 'ssdChunked');
  checkSsdInputs(params, x, 'ssdChunked');
  // A chunk longer than the sequence is one chunk of length T.
  const p = { ...params, Q: Math.min(params.Q, params.T) };
  const scope = new BufferScope(gpu, 'ssdChunked');
  try {
    const plan = await ssdPlan(gpu, p, p.Q, { trace: opts.trace, hasInit: !!x.init });
    const nC = nChunks(p.T, p.Q);
    const tbuf = traceBuffer(scope, opts.trace ? ssdTraceCapacity(p, p.Q, plan.tiles, nC) : 1);
    const bufs = ssdBuffers(scope, p, p.Q, x, x.init, tbuf);
    const run = await runDispatches(gpu, 'ssdChunked', ssdChunkedDispatch(gpu, scope, plan, bufs), {
      time: opts.time,
    });
    const sn = p.batch * p.H * p.P * p.N;
    return {
      Y: await readSlice(gpu, scope, bufs.Y, 0, p.batch * p.T * p.H * p.P),
      finalState: await readSlice(gpu, scope, bufs.passed, nC * sn, sn),
      gpuMs: run.gpuMs,
      trace: opts.trace ? await readTrace(gpu, tbuf, SSD_TRACE) : null,
      dispatches: run.dispatches,
    };
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
    const { Y, finalState, gpuMs, trace, dispatches } = await ssdChunkedGpu(gpu, p, x, opts);
    return { outputs: { Y, finalState }, gpuMs, trace, dispatches };
  },
  tolerance: 1e-4,
};
