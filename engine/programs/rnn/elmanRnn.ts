// elmanRnn: torch.nn.RNN (unidirectional, no dropout) on the GPU, layer by layer: the input projection for
// all T steps in parallel (rnnInputProj.ts), then one workgroup per batch element walks the T steps with h
// in workgroup memory. Optionally traced (per-workgroup projection traffic, one W_hh event per scan step).

import type { Gpu } from '../../gpu/device';
import { type Dispatch, type DispatchRecord, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { elmanRnn, type Nonlinearity } from '../../reference/rnn';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import {
  checkSequenceInputs,
  checkSequenceShape,
  initLayer,
  type LayerBuffers,
  layerIn,
  type RnnWeights,
  scanWg,
  uploadLayers,
} from './common';
import { layerChain } from './layerChain';
import { inputProjEvents, rnnInputProjKernel } from './rnnInputProj';

/** Scan workgroup: whole warps of 32 up to 256, no wider than hidden needs (each lane owns NJ units). */
export const elmanScanWg = scanWg;
/** Trace tensors of both Elman kernels (rnnInputProj.wgsl and elmanRnn.wgsl), one capture per run. */
export const ELMAN_TRACE = traceTable(['x', 'WihT', 'bih', 'bhh', 'P', 'WhhT', 'h0', 'out', 'hN']);

export interface ElmanParams {
  T: number;
  b: number;
  inSize: number;
  hidden: number;
  layers: number;
  nonlinearity?: Nonlinearity;
  batchFirst?: boolean;
}
export interface ElmanInputs {
  x: Float32Array; // (T, b, in) or (b, T, in) when batchFirst
  h0: Float32Array | null; // (layers, b, hidden)
  weights: RnnWeights[]; // per layer: W_ih (hidden, in_l), W_hh, b_ih, b_hh
}
export type ElmanOutputs = { output: Float32Array | Float64Array; hN: Float32Array | Float64Array };

/** The device buffers of one run; weights transposed as uploadLayers() makes them. */
export interface ElmanBuffers {
  x: GPUBuffer; // (T, b, in) or (b, T, in)
  h0: GPUBuffer | null; // (layers, b, hidden), null for zeros
  layers: LayerBuffers[]; // W_ihᵀ (in_l, hidden), W_hhᵀ (hidden, hidden), biases (hidden,)
  output: GPUBuffer; // (T, b, hidden) or (b, T, hidden): the top layer's h_t
  hN: GPUBuffer; // (layers, b, hidden)
  trace: GPUBuffer; // room for elmanTraceEvents(p) when traced
}

export const checkElmanParams = checkSequenceShape;

export function validateElman(label: string, p: ElmanParams, x: ElmanInputs): void {
  checkSequenceInputs(label, p, x.x, { h0: x.h0 }, x.weights, p.hidden);
}

/** Trace events of a run: per layer the projection's, then T + 4 per scan workgroup (h0, steps, P, out, hN). */
export function elmanTraceEvents(p: ElmanParams): number {
  let n = 0;
  for (let l = 0; l < p.layers; l++)
    n += inputProjEvents({ T: p.T, b: p.b, width: p.hidden, inSize: layerIn(p, l) }) + p.b * (p.T + 4);
  return n;
}

export function elmanScanKernel(gpu: Gpu, p: ElmanParams, traced: boolean) {
  const WG = elmanScanWg(p.hidden);
  return kernel(gpu, {
    label: 'elmanRnn.scan',
    sources: [
      'common/trace.wgsl',
      'common/grid.wgsl',
      'rnn/rnnCommon.wgsl',
      'rnn/layerScan.wgsl',
      'rnn/elmanRnn.wgsl',
    ],
    constants: { WG, RELU: p.nonlinearity === 'relu' ? 1 : 0, TRACE: traced ? 1 : 0 },
    prelude: `const HP: u32 = ${p.hidden}u;\nconst NJ: u32 = ${Math.ceil(p.hidden / WG)}u;\n`,
    trace: ELMAN_TRACE,
  });
}

/**
 * Every layer's projection and scan on given buffers, in order (2·layers dispatches, one submission).
 * P (T, b, hidden) and the outputs of the layers below the top are scratch made in `scope`.
 */
export async function elmanRnnDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: ElmanParams,
  buf: ElmanBuffers,
  opts: { trace?: boolean } = {},
): Promise<Dispatch[]> {
  const label = 'elmanRnn';
  checkElmanParams(label, p);
  const traced = opts.trace ?? false;
  const [kProj, kScan] = await Promise.all([
    rnnInputProjKernel(gpu, label, ELMAN_TRACE, traced),
    elmanScanKernel(gpu, p, traced),
  ]);
  return layerChain(label, scope, p, { kernel: kProj, gates: 1 }, buf, {
    kernel: kScan,
    uniform: { hasH0: buf.h0 ? 1 : 0 },
    bindings: {
      h0: buf.h0 ?? buf.x, // never read when hasH0 = 0
      hN: buf.hN,
      trace: buf.trace,
    },
  });
}

export async function elmanRnnGpu(
  gpu: Gpu,
  p: ElmanParams,
  x: ElmanInputs,
  opts: RunOptions = {},
): Promise<{
  output: Float32Array; // (T, b, hidden) or (b, T, hidden)
  hN: Float32Array; // (layers, b, hidden)
  gpuMs: number | null;
  trace: TraceCapture | null;
  dispatches: DispatchRecord[];
}> {
  const label = 'elmanRnn';
  validateElman(label, p, x);
  const { T, b, hidden } = p;
  const scope = new BufferScope(gpu, label);
  try {
    const buf: ElmanBuffers = {
      x: scope.upload('x', x.x),
      h0: x.h0 ? scope.upload('h0', x.h0) : null,
      layers: uploadLayers(scope, x.weights, { inSize: p.inSize, hidden, rows: hidden }),
      output: scope.storage('output', T * b * hidden * 4),
      hN: scope.storage('hN', p.layers * b * hidden * 4),
      trace: traceBuffer(scope, opts.trace ? elmanTraceEvents(p) : 0),
    };
    const ds = await elmanRnnDispatch(gpu, scope, p, buf, { trace: opts.trace });
    const { gpuMs, dispatches } = await runDispatches(gpu, label, ds, { time: opts.time });
    return {
      output: await readF32(gpu, buf.output, T * b * hidden),
      hN: await readF32(gpu, buf.hN, p.layers * b * hidden),
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, buf.trace, ELMAN_TRACE) : null,
      dispatches,
    };
  } finally {
    scope.release();
  }
}

export function elmanReference(p: ElmanParams, x: ElmanInputs): { output: Float64Array; hN: Float64Array } {
  const r = elmanRnn(p, x.x, x.weights, x.h0);
  return { output: r.output, hN: r.hn };
}

export const elmanRnnProgram: Program<ElmanParams, ElmanInputs, ElmanOutputs> = {
  id: 'elmanRnn',
  title: 'Elman RNN (torch.nn.RNN), layer by layer',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    return {
      x: rng.normals(p.T * p.b * p.inSize),
      h0: rng.normals(p.layers * p.b * p.hidden, 0.5),
      weights: Array.from({ length: p.layers }, (_, l) => initLayer(rng, p.hidden, layerIn(p, l), p.hidden)),
    };
  },
  reference: elmanReference,
  async run(gpu, p, x, opts = {}) {
    const { output, hN, gpuMs, trace, dispatches } = await elmanRnnGpu(gpu, p, x, opts);
    return { outputs: { output, hN }, gpuMs, trace, dispatches };
  },
  tolerance: 1e-4,
};
