// elmanRnn: torch.nn.RNN (unidirectional, no dropout) on the GPU, layer by layer: the input projection for
// all T steps in parallel (rnnInputProj.ts), then one workgroup per batch element walks the T steps with h
// in workgroup memory. Optionally traced (per-workgroup projection traffic, one W_hh event per scan step).

import { elmanRnn, type Nonlinearity } from '../../reference/rnn';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program } from '../program';
import { checkSequenceInputs, checkSequenceShape, initLayer, layerIn, type RnnWeights } from './common';
import { type SequenceBuffers, type SequenceSpec, sequenceParts } from './layerChain';

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

/** The device buffers of one run: x, h0 (null for zeros), the layers' weights, output, hN and the trace. */
export type ElmanBuffers = SequenceBuffers<'h0', 'hN'>;

/** The Elman RNN as the family's sequence chain: one gate, h0 in, hN out (T + 4 trace events per scan). */
export const elmanSpec = (p: ElmanParams): SequenceSpec<'h0', 'hN'> => ({
  label: 'elmanRnn',
  gates: 1,
  table: ELMAN_TRACE,
  initial: ['h0'],
  final: ['hN'],
  scanEvents: 4,
  constants: { RELU: p.nonlinearity === 'relu' ? 1 : 0 },
});

export const checkElmanParams = checkSequenceShape;

export function validateElman(label: string, p: ElmanParams, x: ElmanInputs): void {
  checkSequenceInputs(label, p, x.x, { h0: x.h0 }, x.weights, p.hidden);
}

const parts = sequenceParts(
  elmanSpec,
  (x: ElmanInputs) => ({ x: x.x, initial: { h0: x.h0 }, weights: x.weights }),
  validateElman,
);

/** Trace events of a run: per layer the projection's, then T + 4 per scan workgroup (h0, steps, P, out, hN). */
export const elmanTraceEvents = parts.traceEvents;
/**
 * Every layer's projection and scan on given buffers, in order (2·layers dispatches, one submission).
 * P (T, b, hidden) and the outputs of the layers below the top are scratch made in `scope`.
 */
export const elmanRnnDispatch = parts.dispatch;
/** x (and h0) uploaded, the weights transposed, the outputs made: what elmanRnnDispatch runs on. */
export const uploadElman = parts.upload;
/** The whole run: output (T, b, hidden) or (b, T, hidden), hN (layers, b, hidden), time, trace, records. */
export const elmanRnnGpu = parts.gpu;

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
