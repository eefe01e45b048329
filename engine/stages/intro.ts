// The `intro` stage's composite, imported by the app as the `introStage` namespace: six sequence models
// (Elman RNN, attention, linear attention, S4D, Mamba's selective scan, Mamba-2's SSD) at small fixed
// widths on the reader's sentence, cycled to length L. The program runs each model's training form over
// all L positions (introTrain.ts), then generates the same L positions one token at a time (the stepper,
// introDecode.ts), and reports what ran: outputs of both forms, the training form's dispatches and the
// steps a state takes along the sequence, and per token the bytes read and the state (or KV cache) held.
// On the CPU the outputs are float64 references and the byte and step figures their closed forms
// (introFigures.ts, checked against GPU records in intro.test.ts). No kernel of its own.

import type { Gpu } from '../gpu/device';
import { EngineError } from '../gpu/errors';
import type { DispatchRecord } from '../gpu/kernel';
import { bindingLimit, storageBytes } from '../gpu/tensor';
import { traceWords } from '../trace/events';
import { nextPow2 } from '../reference/fft';
import { chunkedTraceCapacity, chunkLayout } from '../programs/mamba/selectiveScanChunked';
import { MAX_TEXT, tokenize } from '../util/tokens';
import { type Host, makeStepper, type Program, type Stepper } from '../programs/program';
import {
  DECODE_DISPATCHES,
  measureToken,
  PROGRAMS,
  seqSteps,
  STATE_NAMES,
  tokenFormula,
  trainFormula,
} from './introFigures';
import {
  cpuDecoders,
  type IntroInputs,
  introInputs,
  MODELS,
  type ModelId,
  scanParams,
  trainReference,
  W,
} from './introModels';
import { gpuDecoders } from './introDecode';
import { trainGpu } from './introTrain';

export { MODELS, W as INTRO_WIDTHS, PROGRAMS, STATE_NAMES, tokenFormula, trainFormula };
export type { IntroInputs, ModelId };

export interface IntroStageParams {
  /** Sequence length: positions trained at once, and tokens generated one by one. */
  L: number;
  /** The reader's sentence; its tokens are cycled to fill L positions. */
  text: string;
}

export const INTRO_STAGE_LIMITS = { L: [1, 256] } as const;
export const DEFAULT_TEXT = 'the state is all a recurrent model keeps';

/** Throws an EngineError naming the first parameter outside the stage's ranges. */
export function validateIntroStageParams(p: IntroStageParams): void {
  const [lo, hi] = INTRO_STAGE_LIMITS.L;
  if (!Number.isInteger(p.L) || p.L < lo || p.L > hi)
    throw new EngineError('introStage', `L must be an integer in ${lo}..${hi} (got ${p.L})`);
  if (typeof p.text !== 'string' || p.text.length > MAX_TEXT || tokenize(p.text).length === 0)
    throw new EngineError(
      'introStage',
      `text must be a sentence of 1..${MAX_TEXT} characters with a word in it`,
    );
}

/** Everything the table shows, per model in MODELS order. */
export type IntroStageOutputs = {
  yTrain: Host; // (6, L, d) the training form's outputs, all positions at once
  yDecode: Host; // (6, L, d) the same positions, generated one token at a time
  trainDispatches: Host; // (6,) dispatches of the training form, in order
  seqSteps: Host; // (6,) steps a state takes along the sequence in the training form
  decodeDispatches: Host; // (6,) dispatches per generated token
  tokenBytes: Host; // (6, L) bytes token t's kernels bound for weights, state and its inputs
  stateBytes: Host; // (6, L) bytes of the state (or KV cache) held after token t
  stateFloats: Host; // (6, L) floats of that state as read back after token t
};

/** Token t of every model: y_t, the state after it, its byte figures and (GPU) the records of its dispatches. */
export interface IntroStep {
  t: number;
  y: Record<ModelId, Host>; // (d,) each
  state: Record<ModelId, Host>;
  tokenBytes: Record<ModelId, number>;
  stateBytes: Record<ModelId, number>;
  /** The records of token t's dispatches, per model (empty on the CPU). */
  dispatches: Record<ModelId, DispatchRecord[]>;
}

/** Playback steps: one per generated token. */
export const stepCount = (p: Pick<IntroStageParams, 'L'>): number => p.L;

const perModel = <T>(f: (m: ModelId) => T) =>
  Object.fromEntries(MODELS.map((m) => [m, f(m)])) as Record<ModelId, T>;

function checkInputs(p: IntroStageParams, x: IntroInputs): void {
  if (x.tokens.length !== p.L || x.x.length !== p.L * W.d)
    throw new EngineError('introStage', `inputs are for L=${x.tokens.length}, want L=${p.L}`);
}

function cpuStepper(x: IntroInputs, count: number) {
  const dec = cpuDecoders(x);
  const advance = (t: number): IntroStep => {
    const r = perModel((m) => dec[m].step(t));
    return {
      t,
      y: perModel((m) => r[m].y),
      state: perModel((m) => r[m].state),
      tokenBytes: perModel((m) => tokenFormula(m, t).tokenBytes),
      stateBytes: perModel((m) => tokenFormula(m, t).stateBytes),
      dispatches: perModel(() => []),
    };
  };
  const reset = () => {
    for (const m of MODELS) dec[m].reset();
  };
  return { advance, reset, count };
}

/**
 * gpu null (or unusable) -> the float64 CPU decoders; otherwise every model's decode step in one
 * submission per token, read back in one round trip. Step t generates position t of every model.
 */
export async function createStepper(
  gpu: Gpu | null,
  p: IntroStageParams,
  inputs: IntroInputs,
): Promise<Stepper<IntroStep>> {
  validateIntroStageParams(p);
  checkInputs(p, inputs);
  const count = stepCount(p);
  if (gpu?.status !== 'ok')
    return makeStepper('introStage', { backend: 'cpu', ...cpuStepper(inputs, count) });
  const dec = await gpuDecoders(gpu, inputs);
  return makeStepper('introStage', {
    backend: 'webgpu',
    count,
    async advance(t) {
      const r = await dec.step(t);
      const figures = perModel((m) => measureToken(m, r[m].records));
      return {
        t,
        y: perModel((m) => r[m].y),
        state: perModel((m) => r[m].state),
        tokenBytes: perModel((m) => figures[m].tokenBytes),
        stateBytes: perModel((m) => figures[m].stateBytes),
        dispatches: perModel((m) => r[m].records),
      };
    },
    reset: () => dec.reset(),
    free: () => dec.free(),
  });
}

/** The per-token outputs of L steps, packed (6, L, ·). */
function collect(L: number, steps: IntroStep[]) {
  const { d } = W;
  const yDecode = new Float64Array(MODELS.length * L * d);
  const [tokenBytes, stateBytes, stateFloats] = [0, 1, 2].map(() => new Float64Array(MODELS.length * L));
  MODELS.forEach((m, i) => {
    for (const s of steps) {
      yDecode.set(s.y[m], (i * L + s.t) * d);
      tokenBytes[i * L + s.t] = s.tokenBytes[m];
      stateBytes[i * L + s.t] = s.stateBytes[m];
      stateFloats[i * L + s.t] = s.state[m].length;
    }
  });
  return { yDecode, tokenBytes, stateBytes, stateFloats };
}

const stack = (rows: Record<ModelId, ArrayLike<number>>, n: number) => {
  const out = new Float64Array(MODELS.length * n);
  MODELS.forEach((m, i) => {
    out.set(rows[m], i * n);
  });
  return out;
};

export const program: Program<IntroStageParams, IntroInputs, IntroStageOutputs> = {
  id: 'introStage',
  title: 'Six sequence models: the training form over L positions, then L generated tokens',
  makeInputs(p, seed) {
    validateIntroStageParams(p);
    return introInputs(tokenize(p.text), p.L, seed);
  },
  reference(p, x) {
    validateIntroStageParams(p);
    checkInputs(p, x);
    const s = cpuStepper(x, p.L);
    const steps = Array.from({ length: p.L }, (_, t) => s.advance(t));
    return {
      yTrain: stack(trainReference(p.L, x), p.L * W.d),
      trainDispatches: stack(
        perModel((m) => [trainFormula(m, p.L).dispatches]),
        1,
      ),
      seqSteps: stack(
        perModel((m) => [trainFormula(m, p.L).seqSteps]),
        1,
      ),
      decodeDispatches: stack(
        perModel((m) => [DECODE_DISPATCHES[m]]),
        1,
      ),
      ...collect(p.L, steps),
    };
  },
  async run(gpu, p, x, opts = {}) {
    validateIntroStageParams(p);
    checkInputs(p, x);
    const train = await trainGpu(gpu, p.L, x, opts.time ?? false);
    const stepper = await createStepper(gpu, p, x);
    const steps: IntroStep[] = [];
    try {
      for (let t = 0; t < p.L; t++) steps.push(await stepper.step());
    } finally {
      stepper.dispose();
    }
    const last = steps[steps.length - 1];
    const times = MODELS.map((m) => train[m].gpuMs);
    return {
      outputs: {
        yTrain: stack(
          perModel((m) => train[m].y),
          p.L * W.d,
        ),
        trainDispatches: stack(
          perModel((m) => [train[m].dispatches.length]),
          1,
        ),
        seqSteps: stack(
          perModel((m) => [seqSteps(m, train[m].trace)]),
          1,
        ),
        decodeDispatches: stack(
          perModel((m) => [last.dispatches[m].length]),
          1,
        ),
        ...collect(p.L, steps),
      },
      gpuMs: times.every((v) => v !== null) ? times.reduce((a, v) => a + (v ?? 0), 0) : null,
      trace: null,
      // Model by model: the training form's dispatches, then those of the last generated token.
      dispatches: MODELS.flatMap((m) => [...train[m].dispatches, ...last.dispatches[m]]),
    };
  },
  tolerance: 1e-3,
};

/**
 * The largest storage buffer a run allocates on a device with these limits, in bytes (what must fit in one
 * binding): the selective scan's trace (its chunk layout depends on the binding limit) or S4D's two
 * spectrum rows per channel of nextPow2(2L) complex; at the stage's fixed widths the rest is smaller.
 */
export function largestBinding(
  p: Pick<IntroStageParams, 'L'>,
  limits: Parameters<typeof bindingLimit>[0],
): number {
  const sp = scanParams(p.L);
  return Math.max(
    storageBytes(traceWords(chunkedTraceCapacity(sp, chunkLayout(sp, bindingLimit(limits)))) * 4),
    storageBytes(2 * W.d * nextPow2(2 * p.L) * 8),
  );
}
