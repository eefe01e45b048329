// lstm: torch.nn.LSTM (unidirectional, no dropout, proj_size 0) on the GPU, layer by layer: the input
// projection P = x W_ihᵀ + b_ih + b_hh of all T steps in parallel (rnnInputProj.ts, width 4·hidden: W_ih
// stacks the gates i, f, g, o), then one workgroup per batch element walks the T steps with h in workgroup
// memory and c in registers (shaders/rnn/lstm.wgsl). Optionally traced (per-workgroup projection traffic,
// one W_hh event per scan step).

import type { Gpu } from '../../gpu/device';
import { type Dispatch, type DispatchRecord, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { lstm } from '../../reference/lstm';
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
  type SequenceShape,
  scanWg,
  uploadLayers,
} from './common';
import { layerChain } from './layerChain';
import { inputProjEvents, rnnInputProjKernel } from './rnnInputProj';

/** Trace tensors of both LSTM kernels (rnnInputProj.wgsl and lstm.wgsl), one capture per run. */
export const LSTM_TRACE = traceTable(['x', 'WihT', 'bih', 'bhh', 'P', 'WhhT', 'h0', 'c0', 'out', 'hN', 'cN']);

export type LstmParams = SequenceShape;
export interface LstmInputs {
  x: Float32Array; // (T, b, in) or (b, T, in) when batchFirst
  h0: Float32Array | null; // (layers, b, H), null for zeros
  c0: Float32Array | null; // (layers, b, H), null for zeros
  weights: RnnWeights[]; // per layer: W_ih (4H, in_l), W_hh (4H, H), b_ih, b_hh (4H,) or null
}
export type LstmOutputs = {
  output: Float32Array | Float64Array; // (T, b, H) or (b, T, H)
  hN: Float32Array | Float64Array; // (layers, b, H)
  cN: Float32Array | Float64Array; // (layers, b, H)
};

/** The device buffers of one run; weights transposed as uploadLayers() makes them (rows = 4H). */
export interface LstmBuffers {
  x: GPUBuffer; // (T, b, in) or (b, T, in)
  h0: GPUBuffer | null; // (layers, b, H), null for zeros
  c0: GPUBuffer | null; // (layers, b, H), null for zeros
  layers: LayerBuffers[]; // W_ihᵀ (in_l, 4H), W_hhᵀ (H, 4H), biases (4H,)
  output: GPUBuffer; // (T, b, H) or (b, T, H): the top layer's h_t
  hN: GPUBuffer; // (layers, b, H)
  cN: GPUBuffer; // (layers, b, H)
  trace: GPUBuffer; // room for lstmTraceEvents(p) when traced
}

export function validateLstm(label: string, p: LstmParams, x: LstmInputs): void {
  checkSequenceInputs(label, p, x.x, { h0: x.h0, c0: x.c0 }, x.weights, 4 * p.hidden);
}

/** Trace events of a run: per layer the projection's (width 4H), then T + 6 per scan workgroup. */
export function lstmTraceEvents(p: LstmParams): number {
  let n = 0;
  for (let l = 0; l < p.layers; l++)
    n += inputProjEvents({ T: p.T, b: p.b, width: 4 * p.hidden, inSize: layerIn(p, l) }) + p.b * (p.T + 6);
  return n;
}

export function lstmScanKernel(gpu: Gpu, hidden: number, traced: boolean) {
  const WG = scanWg(hidden);
  return kernel(gpu, {
    label: 'lstm.scan',
    sources: [
      'common/trace.wgsl',
      'common/grid.wgsl',
      'rnn/rnnCommon.wgsl',
      'rnn/layerScan.wgsl',
      'rnn/lstm.wgsl',
    ],
    constants: { WG, TRACE: traced ? 1 : 0 },
    prelude: `const HP: u32 = ${hidden}u;\nconst NJ: u32 = ${Math.ceil(hidden / WG)}u;\n`,
    trace: LSTM_TRACE,
  });
}

/**
 * Every layer's projection and scan on given buffers, in order (2·layers dispatches, one submission).
 * P (T, b, 4H) and the outputs of the layers below the top are scratch made in `scope`.
 */
export async function lstmDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: LstmParams,
  buf: LstmBuffers,
  opts: { trace?: boolean } = {},
): Promise<Dispatch[]> {
  const label = 'lstm';
  checkSequenceShape(label, p);
  const traced = opts.trace ?? false;
  const [kProj, kScan] = await Promise.all([
    rnnInputProjKernel(gpu, label, LSTM_TRACE, traced),
    lstmScanKernel(gpu, p.hidden, traced),
  ]);
  return layerChain(label, scope, p, { kernel: kProj, gates: 4 }, buf, {
    kernel: kScan,
    uniform: { hasH0: buf.h0 ? 1 : 0, hasC0: buf.c0 ? 1 : 0 },
    bindings: {
      h0: buf.h0 ?? buf.x, // never read when hasH0 = 0
      c0: buf.c0 ?? buf.x, // never read when hasC0 = 0
      hN: buf.hN,
      cN: buf.cN,
      trace: buf.trace,
    },
  });
}

export async function lstmGpu(
  gpu: Gpu,
  p: LstmParams,
  x: LstmInputs,
  opts: RunOptions = {},
): Promise<{
  output: Float32Array; // (T, b, H) or (b, T, H)
  hN: Float32Array; // (layers, b, H)
  cN: Float32Array; // (layers, b, H)
  gpuMs: number | null;
  trace: TraceCapture | null;
  dispatches: DispatchRecord[];
}> {
  const label = 'lstm';
  validateLstm(label, p, x);
  const { T, b, hidden } = p;
  const state = p.layers * b * hidden;
  const scope = new BufferScope(gpu, label);
  try {
    const buf: LstmBuffers = {
      x: scope.upload('x', x.x),
      h0: x.h0 ? scope.upload('h0', x.h0) : null,
      c0: x.c0 ? scope.upload('c0', x.c0) : null,
      layers: uploadLayers(scope, x.weights, { inSize: p.inSize, hidden, rows: 4 * hidden }),
      output: scope.storage('output', T * b * hidden * 4),
      hN: scope.storage('hN', state * 4),
      cN: scope.storage('cN', state * 4),
      trace: traceBuffer(scope, opts.trace ? lstmTraceEvents(p) : 0),
    };
    const ds = await lstmDispatch(gpu, scope, p, buf, { trace: opts.trace });
    const { gpuMs, dispatches } = await runDispatches(gpu, label, ds, { time: opts.time });
    return {
      output: await readF32(gpu, buf.output, T * b * hidden),
      hN: await readF32(gpu, buf.hN, state),
      cN: await readF32(gpu, buf.cN, state),
      gpuMs,
      trace: opts.trace ? await readTrace(gpu, buf.trace, LSTM_TRACE) : null,
      dispatches,
    };
  } finally {
    scope.release();
  }
}

/** The float64 reference (engine/reference/lstm.ts) on the program's inputs. */
export function lstmReference(p: LstmParams, x: LstmInputs): LstmOutputs {
  return lstm(p, x.x, x.weights, x.h0, x.c0);
}

export const lstmProgram: Program<LstmParams, LstmInputs, LstmOutputs> = {
  id: 'lstm',
  title: 'LSTM (torch.nn.LSTM), layer by layer',
  makeInputs(p, seed) {
    const rng = new Rng(seed);
    const state = p.layers * p.b * p.hidden;
    return {
      x: rng.normals(p.T * p.b * p.inSize),
      h0: rng.normals(state, 0.5),
      c0: rng.normals(state, 0.5),
      weights: Array.from({ length: p.layers }, (_, l) =>
        initLayer(rng, 4 * p.hidden, layerIn(p, l), p.hidden),
      ),
    };
  },
  reference: lstmReference,
  async run(gpu, p, x, opts = {}) {
    const { output, hN, cN, gpuMs, trace, dispatches } = await lstmGpu(gpu, p, x, opts);
    return { outputs: { output, hN, cN }, gpuMs, trace, dispatches };
  },
  tolerance: 1e-4,
};
