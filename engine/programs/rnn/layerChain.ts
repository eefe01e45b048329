// The layer chain of the family's sequence programs (Elman RNN, LSTM) on given buffers: per layer the
// input projection P = x W_ihᵀ + b_ih + b_hh for all T steps (rnnInputProj.ts, width gates·hidden), then
// the layer's scan over P, each layer reading the output of the one below. 2·layers dispatches in order,
// one submission; trace ids run on through all of them (projection workgroups, then the b scan ones).
// Below it, what the two programs share around the chain: the scan kernel, the trace size, the dispatch
// builder on given buffers and the upload → dispatch → readback run, each from the program's SequenceSpec.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor } from '../../gpu/grid';
import { type Dispatch, type DispatchRecord, type Kernel, kernel, runDispatches } from '../../gpu/kernel';
import { inScope } from '../../gpu/run';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { uniformFor } from '../../gpu/uniforms';
import { readTrace, type TraceCapture, traceBuffer } from '../../trace/events';
import type { TraceTable } from '../../trace/tensors';
import type { RunOptions } from '../program';
import {
  checkSequenceShape,
  type LayerBuffers,
  layerIn,
  type RnnWeights,
  type SequenceShape,
  scanWg,
  uploadLayers,
} from './common';
import {
  inputProjEvents,
  inputProjWorkgroups,
  rnnInputProjDispatch,
  rnnInputProjKernel,
} from './rnnInputProj';

/** A layer's scan kernel and what it takes beyond what every scan takes. */
export interface ScanSpec {
  kernel: Kernel;
  /** Uniform fields beyond T, b, hidden, batchFirst, layer and wgBase (hasH0, …). */
  uniform: Record<string, number>;
  /** Bindings beyond p, P, WhhT and out (h0, hN, trace, …). */
  bindings: Record<string, GPUBuffer>;
}

export interface ChainBuffers {
  x: GPUBuffer; // (T, b, in) or (b, T, in)
  layers: LayerBuffers[]; // W_ihᵀ (in_l, rows), W_hhᵀ (hidden, rows), biases (rows,); rows = gates·hidden
  output: GPUBuffer; // (T, b, hidden) or (b, T, hidden): the top layer's h_t
  trace: GPUBuffer;
}

/**
 * The chain's dispatches. P (T, b, gates·hidden) and the outputs of the layers below the top (two,
 * alternating) are scratch made in `scope`.
 */
export function layerChain(
  label: string,
  scope: BufferScope,
  p: SequenceShape,
  proj: { kernel: Kernel; gates: number },
  buf: ChainBuffers,
  scan: ScanSpec,
): Dispatch[] {
  if (buf.layers.length !== p.layers)
    throw new EngineError(label, `${buf.layers.length} layers of weight buffers, want ${p.layers}`);
  const { T, b, hidden, layers } = p;
  const width = proj.gates * hidden;
  const P = scope.storage('P', T * b * width * 4);
  const mids = [0, 1]
    .slice(0, Math.min(2, layers - 1))
    .map((i) => scope.storage(`mid${i}`, T * b * hidden * 4));
  const scanGrid = gridFor(scope.gpu, scan.kernel.label, b);
  const batchFirst = p.batchFirst ?? false;
  const dispatches: Dispatch[] = [];
  let wgBase = 0;
  let input = buf.x;
  buf.layers.forEach((w, l) => {
    const out = l === layers - 1 ? buf.output : mids[l % 2];
    const dims = { T, b, inSize: layerIn(p, l), width, batchFirst, layer: l, wgBase };
    const projGroups = inputProjWorkgroups(dims);
    const params = uniformFor(scope, scan.kernel, {
      T,
      b,
      hidden,
      batchFirst: batchFirst ? 1 : 0,
      layer: l,
      wgBase: wgBase + projGroups,
      ...scan.uniform,
    });
    dispatches.push(
      rnnInputProjDispatch(proj.kernel, scope, dims, {
        x: input,
        WihT: w.WihT,
        bih: w.bih,
        bhh: w.bhh,
        P,
        trace: buf.trace,
      }),
      {
        kernel: scan.kernel,
        bindings: { p: params.buffer, P, WhhT: w.WhhT, out, ...scan.bindings },
        workgroups: scanGrid.workgroups,
      },
    );
    input = out;
    wgBase += projGroups + b;
  });
  return dispatches;
}

/** What one of the family's sequence programs (Elman RNN, LSTM) is beyond the chain they share. */
export interface SequenceSpec<S extends string = string, F extends string = string> {
  /** 'elmanRnn' or 'lstm': the kernels' labels and the scan's WGSL, rnn/<label>.wgsl. */
  label: string;
  /** Rows of W_ih per hidden unit: 1 (Elman) or 4 (the LSTM's i, f, g, o). */
  gates: number;
  /** One table for the projection and the scan: one capture per run. */
  table: TraceTable;
  /** The initial states (h0, c0), each (layers, b, hidden); the scan's uniform has has<Name> for each. */
  initial: readonly S[];
  /** The final states (hN, cN), each (layers, b, hidden). */
  final: readonly F[];
  /** Trace events of a scan workgroup beyond its T steps (state loads, P, out, state stores). */
  scanEvents: number;
  /** The scan's override constants beyond WG and TRACE (Elman's RELU). */
  constants?: Record<string, number>;
}

/** A sequence program's device buffers; weights transposed as uploadLayers() makes them (rows = gates·hidden). */
export interface SequenceBuffers<S extends string = string, F extends string = string> extends ChainBuffers {
  initial: Record<S, GPUBuffer | null>; // (layers, b, hidden) each, null for zeros
  final: Record<F, GPUBuffer>; // (layers, b, hidden) each
}

/** A sequence program's host inputs: x (T, b, in) or (b, T, in), the initial states, torch's weights. */
export interface SequenceHost<S extends string = string> {
  x: Float32Array;
  initial: Record<S, Float32Array | null>;
  weights: readonly RnnWeights[];
}

/** Trace events of a run: per layer the projection's (width gates·hidden), then T + scanEvents per scan workgroup. */
export function sequenceTraceEvents(spec: SequenceSpec, p: SequenceShape): number {
  let n = 0;
  for (let l = 0; l < p.layers; l++)
    n +=
      inputProjEvents({ T: p.T, b: p.b, width: spec.gates * p.hidden, inSize: layerIn(p, l) }) +
      p.b * (p.T + spec.scanEvents);
  return n;
}

/** The scan kernel: one workgroup per batch row, WG lanes each owning NJ of the hidden units. */
export function scanKernel(gpu: Gpu, spec: SequenceSpec, hidden: number, traced: boolean) {
  const WG = scanWg(hidden);
  return kernel(gpu, {
    label: `${spec.label}.scan`,
    sources: [
      'common/trace.wgsl',
      'common/grid.wgsl',
      'rnn/rnnCommon.wgsl',
      'rnn/layerScan.wgsl',
      `rnn/${spec.label}.wgsl`,
    ],
    constants: { WG, ...spec.constants, TRACE: traced ? 1 : 0 },
    prelude: `const HP: u32 = ${hidden}u;\nconst NJ: u32 = ${Math.ceil(hidden / WG)}u;\n`,
    trace: spec.table,
  });
}

const hasField = (name: string) => `has${name[0].toUpperCase()}${name.slice(1)}`;

/**
 * Every layer's projection and scan on given buffers, in order (2·layers dispatches, one submission);
 * an absent initial state binds x in its place (never read: has<Name> = 0).
 */
export async function sequenceDispatch(
  gpu: Gpu,
  scope: BufferScope,
  spec: SequenceSpec,
  p: SequenceShape,
  buf: SequenceBuffers,
  traced: boolean,
): Promise<Dispatch[]> {
  checkSequenceShape(spec.label, p);
  const [kProj, kScan] = await Promise.all([
    rnnInputProjKernel(gpu, spec.label, spec.table, traced),
    scanKernel(gpu, spec, p.hidden, traced),
  ]);
  const initial = Object.entries<GPUBuffer | null>(buf.initial);
  return layerChain(spec.label, scope, p, { kernel: kProj, gates: spec.gates }, buf, {
    kernel: kScan,
    uniform: Object.fromEntries(initial.map(([name, b]) => [hasField(name), b ? 1 : 0])),
    bindings: {
      ...Object.fromEntries(initial.map(([name, b]) => [name, b ?? buf.x])),
      ...buf.final,
      trace: buf.trace,
    },
  });
}

/** Uploads x, the initial states and the transposed weights, and makes the outputs and the trace buffer. */
export function uploadSequence<S extends string, F extends string>(
  scope: BufferScope,
  spec: SequenceSpec<S, F>,
  p: SequenceShape,
  x: SequenceHost<S>,
  traced: boolean,
): SequenceBuffers<S, F> {
  const state = p.layers * p.b * p.hidden * 4;
  return {
    x: scope.upload('x', x.x),
    initial: Object.fromEntries(
      spec.initial.map((name) => [name, x.initial[name] ? scope.upload(name, x.initial[name]) : null]),
    ) as Record<S, GPUBuffer | null>,
    layers: uploadLayers(scope, x.weights, {
      inSize: p.inSize,
      hidden: p.hidden,
      rows: spec.gates * p.hidden,
    }),
    output: scope.storage('output', p.T * p.b * p.hidden * 4),
    final: Object.fromEntries(spec.final.map((name) => [name, scope.storage(name, state)])) as Record<
      F,
      GPUBuffer
    >,
    trace: traceBuffer(scope, traced ? sequenceTraceEvents(spec, p) : 0),
  };
}

/** What a sequence run reads back: the top layer's output, each final state, the time, trace and records. */
export type SequenceRun<F extends string> = Record<F, Float32Array> & {
  output: Float32Array; // (T, b, hidden) or (b, T, hidden)
  gpuMs: number | null;
  trace: TraceCapture | null;
  dispatches: DispatchRecord[];
};

/** The whole run: upload, every layer in one submission, read back the output, the final states and the trace. */
export async function sequenceGpu<S extends string, F extends string>(
  gpu: Gpu,
  spec: SequenceSpec<S, F>,
  p: SequenceShape,
  x: SequenceHost<S>,
  opts: RunOptions,
): Promise<SequenceRun<F>> {
  const traced = opts.trace ?? false;
  return inScope(gpu, spec.label, async (scope) => {
    const buf = uploadSequence(scope, spec, p, x, traced);
    const ds = await sequenceDispatch(gpu, scope, spec, p, buf, traced);
    const { gpuMs, dispatches } = await runDispatches(gpu, spec.label, ds, { time: opts.time });
    const output = await readF32(gpu, buf.output, p.T * p.b * p.hidden);
    const final = {} as Record<F, Float32Array>;
    for (const name of spec.final)
      final[name] = await readF32(gpu, buf.final[name], p.layers * p.b * p.hidden);
    const trace = traced ? await readTrace(gpu, buf.trace, spec.table) : null;
    return { ...final, output, gpuMs, trace, dispatches };
  });
}

/**
 * A sequence program's trace size, dispatch builder on given buffers, upload and whole run, from its spec,
 * its host inputs as the chain takes them, and its input check (run before anything is allocated).
 */
export function sequenceParts<P extends SequenceShape, X, S extends string, F extends string>(
  spec: (p: P) => SequenceSpec<S, F>,
  host: (x: X) => SequenceHost<S>,
  validate: (label: string, p: P, x: X) => void,
) {
  return {
    traceEvents: (p: P): number => sequenceTraceEvents(spec(p), p),
    dispatch: (
      gpu: Gpu,
      scope: BufferScope,
      p: P,
      buf: SequenceBuffers<S, F>,
      opts: { trace?: boolean } = {},
    ): Promise<Dispatch[]> => sequenceDispatch(gpu, scope, spec(p), p, buf, opts.trace ?? false),
    upload: (scope: BufferScope, p: P, x: X, traced = false): SequenceBuffers<S, F> =>
      uploadSequence(scope, spec(p), p, host(x), traced),
    async gpu(gpu: Gpu, p: P, x: X, opts: RunOptions = {}): Promise<SequenceRun<F>> {
      const s = spec(p);
      validate(s.label, p, x);
      return sequenceGpu(gpu, s, p, host(x), opts);
    },
  };
}
