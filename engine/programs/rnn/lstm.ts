// lstm: torch.nn.LSTM (unidirectional, no dropout, proj_size 0) on the GPU, layer by layer: the input
// projection P = x W_ihᵀ + b_ih + b_hh of all T steps in parallel (rnnInputProj.ts, width 4·hidden: W_ih
// stacks the gates i, f, g, o), then one workgroup per batch element walks the T steps with h in workgroup
// memory and c in registers (shaders/rnn/lstm.wgsl). Optionally traced (per-workgroup projection traffic,
// one W_hh event per scan step).

import { lstm } from '../../reference/lstm';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program } from '../program';
import { checkSequenceInputs, initLayer, layerIn, type RnnWeights, type SequenceShape } from './common';
import { type SequenceBuffers, type SequenceSpec, sequenceParts } from './layerChain';

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

/** The device buffers of one run: x, h0 and c0 (null for zeros), the layers' weights (rows = 4H), output,
 * hN, cN and the trace. */
export type LstmBuffers = SequenceBuffers<'h0' | 'c0', 'hN' | 'cN'>;

/** The LSTM as the family's sequence chain: four gates, (h0, c0) in, (hN, cN) out (T + 6 trace events per scan). */
export const LSTM_SPEC: SequenceSpec<'h0' | 'c0', 'hN' | 'cN'> = {
  label: 'lstm',
  gates: 4,
  table: LSTM_TRACE,
  initial: ['h0', 'c0'],
  final: ['hN', 'cN'],
  scanEvents: 6,
};

export function validateLstm(label: string, p: LstmParams, x: LstmInputs): void {
  checkSequenceInputs(label, p, x.x, { h0: x.h0, c0: x.c0 }, x.weights, 4 * p.hidden);
}

const parts = sequenceParts(
  () => LSTM_SPEC,
  (x: LstmInputs) => ({ x: x.x, initial: { h0: x.h0, c0: x.c0 }, weights: x.weights }),
  validateLstm,
);

/** Trace events of a run: per layer the projection's (width 4H), then T + 6 per scan workgroup. */
export const lstmTraceEvents = parts.traceEvents;
/**
 * Every layer's projection and scan on given buffers, in order (2·layers dispatches, one submission).
 * P (T, b, 4H) and the outputs of the layers below the top are scratch made in `scope`.
 */
export const lstmDispatch = parts.dispatch;
/** x (and h0, c0) uploaded, the weights transposed, the outputs made: what lstmDispatch runs on. */
export const uploadLstm = parts.upload;
/** The whole run: output (T, b, H) or (b, T, H), hN and cN (layers, b, H), time, trace, records. */
export const lstmGpu = parts.gpu;

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
