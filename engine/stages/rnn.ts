// The `rnn` stage's composite, imported by the app as the `rnnStage` namespace: the reader's sentence
// through a one-layer Elman RNN and a one-layer LSTM, each on the batch of 2 (the sentence, and the
// sentence with x_{t0} moved by ε; rnnInputs.ts), all four runs in ONE GPU submission from the rnn family's
// dispatch builders (no kernel of its own). The distance ‖h'_t − h_t‖ of every step is the host's reduction
// of the two read-back runs. The stepper, step count and cost per token are in rnnStepper.ts.

import type { Gpu } from '../gpu/device';
import { runDispatches } from '../gpu/kernel';
import { inScope } from '../gpu/run';
import { storageBytes } from '../gpu/tensor';
import { readTrace, type TraceCapture, traceWords } from '../trace/events';
import { readStacked } from '../programs/rnn/common';
import { ELMAN_TRACE, elmanReference, elmanRnnDispatch, uploadElman } from '../programs/rnn/elmanRnn';
import { LSTM_TRACE, lstmDispatch, lstmReference, lstmTraceEvents, uploadLstm } from '../programs/rnn/lstm';
import type { Program, RunOptions, RunResult } from '../programs/program';
import {
  checkRnnInputs,
  distances,
  LABEL,
  makeRnnInputs,
  type RnnStageInputs,
  type RnnStageOutputs,
  type RnnStageParams,
  SAMPLES,
  stageShape,
  validateRnnStageParams,
} from './rnnInputs';

export {
  DEFAULT_FORGET_BIAS,
  distances,
  makeRnnInputs,
  RNN_STAGE_LIMITS,
  type RnnStageInputs,
  type RnnStageOutputs,
  type RnnStageParams,
  SAMPLES,
  stageShape,
  stageTokens,
  stateDistance,
  validateRnnStageParams,
} from './rnnInputs';
export {
  costPerToken,
  createStepper,
  type RnnStageStep,
  type RnnStageStepper,
  stepCount,
} from './rnnStepper';

/**
 * The largest storage buffer a traced run and the steppers allocate, in bytes (what must fit in one
 * binding): the LSTM's gate pre-activations P (T, 2, 4H), its trace, its weights (4H, H) and (4H, d), or the
 * inputs (T, 2, d); the Elman cell's buffers are those with one gate, never larger.
 */
export function largestBinding(p: RnnStageParams): number {
  const { T, b, hidden: H, inSize: d } = stageShape(p);
  return Math.max(
    storageBytes(T * b * 4 * H * 4),
    storageBytes(traceWords(lstmTraceEvents(stageShape(p))) * 4),
    storageBytes(4 * H * H * 4),
    storageBytes(4 * H * d * 4),
    storageBytes(T * b * d * 4),
  );
}

/** Both captures as one: each tensor named by its program (elmanRnn.P, lstm.P), the LSTM's workgroups after the Elman ones. */
function mergeTraces(elman: TraceCapture, lstm: TraceCapture): TraceCapture {
  const base = elman.events.reduce((m, e) => Math.max(m, e.workgroup + 1), 0);
  const named = (prefix: string, t: string) => (t === '' ? '' : `${prefix}.${t}`);
  return {
    events: [
      ...elman.events.map((e) => ({ ...e, tensor: named('elmanRnn', e.tensor) })),
      ...lstm.events.map((e) => ({ ...e, workgroup: e.workgroup + base, tensor: named('lstm', e.tensor) })),
    ],
    dropped: elman.dropped + lstm.dropped,
  };
}

function runStage(
  gpu: Gpu,
  p: RnnStageParams,
  x: RnnStageInputs,
  opts: RunOptions,
): Promise<RunResult<RnnStageOutputs>> {
  validateRnnStageParams(p);
  const s = checkRnnInputs(p, x);
  const traced = opts.trace ?? false;
  return inScope(gpu, `${LABEL}.elman`, (es) =>
    inScope(gpu, `${LABEL}.lstm`, async (ls) => {
      const eb = uploadElman(es, s, { x: x.x, h0: null, weights: x.elman }, traced);
      const lb = uploadLstm(ls, s, { x: x.x, h0: null, c0: null, weights: x.lstm }, traced);
      const dispatches = [
        ...(await elmanRnnDispatch(gpu, es, s, eb, { trace: traced })),
        ...(await lstmDispatch(gpu, ls, s, lb, { trace: traced })),
      ];
      const run = await runDispatches(gpu, LABEL, dispatches, { time: opts.time });
      const n = s.T * SAMPLES * s.hidden;
      const all = await readStacked(gpu, LABEL, [
        { buf: eb.output, n },
        { buf: lb.output, n },
        { buf: lb.final.cN, n: SAMPLES * s.hidden },
      ]);
      const h = all.slice(0, n);
      const lstmH = all.slice(n, 2 * n);
      const trace = traced
        ? mergeTraces(await readTrace(gpu, eb.trace, ELMAN_TRACE), await readTrace(gpu, lb.trace, LSTM_TRACE))
        : null;
      return {
        outputs: {
          h,
          lstmH,
          cN: all.slice(2 * n),
          dh: distances(h, s.T, s.hidden),
          dhLstm: distances(lstmH, s.T, s.hidden),
        },
        gpuMs: run.gpuMs,
        trace,
        dispatches: run.dispatches,
      };
    }),
  );
}

export const program: Program<RnnStageParams, RnnStageInputs, RnnStageOutputs> = {
  id: LABEL,
  title: 'The Elman RNN and the LSTM on the reader’s sentence, and on it with one input perturbed',
  makeInputs: makeRnnInputs,
  reference(p, x) {
    validateRnnStageParams(p);
    const s = checkRnnInputs(p, x);
    const elman = elmanReference(s, { x: x.x, h0: null, weights: x.elman });
    const lstm = lstmReference(s, { x: x.x, h0: null, c0: null, weights: x.lstm });
    return {
      h: elman.output,
      lstmH: lstm.output,
      cN: lstm.cN,
      dh: distances(elman.output, s.T, s.hidden),
      dhLstm: distances(lstm.output, s.T, s.hidden),
    };
  },
  run: (gpu, p, x, opts = {}) => runStage(gpu, p, x, opts),
  tolerance: 1e-4,
};
