// The rnn stage's runtime: one batched run of both cells on the sentence and its perturbed copy (GPU, or
// the float64 reference in the CPU worker), the GPU-vs-reference check where the run was on the GPU, a
// timing pass of a stepper (what each further token costs), and the engine's stepper for playback. No
// React here: on the CPU backend this runs in the worker.

import { type Gpu, rnnStage, runOn } from '../../../engine';
import { ranResult } from '../ran';
import { fitSizes, type ParamValues, type StageRan, type StageRuntime } from '../types';
import { type CheckValue, gpuCpuCheck } from './checks';
import { DEFAULT_SENTENCE, rnnStageParams } from './params';

type RnnStageParams = rnnStage.RnnStageParams;

export interface RnnResult {
  backend: 'webgpu' | 'cpu';
  ran: StageRan;
  params: RnnStageParams;
  inputs: rnnStage.RnnStageInputs;
  outputs: rnnStage.RnnStageOutputs;
  /** The batched GPU outputs against the float64 reference; null on the CPU backend (nothing to compare). */
  gpuCpu: CheckValue | null;
  /** Wall time of each step t (T,), from a timing pass before playback. */
  stepMs: Float64Array;
  /** Relative tolerance of the program: |a − b| <= tolerance · max(1, max|b|). */
  tolerance: number;
}

/** One step as the engine's stepper read it back (t counts from 0: the screen's step t + 1). */
export type RnnStep = rnnStage.RnnStageStep;

/**
 * The wall time of each of the T steps of a stepper of its own, run back to back after one warm-up step
 * (so the first is not the pipelines' first use), read-back included: what one more token costs at t.
 */
async function timeSteps(
  gpu: Gpu | null,
  p: RnnStageParams,
  inputs: rnnStage.RnnStageInputs,
): Promise<Float64Array> {
  const stepper = await rnnStage.createStepper(gpu, p, inputs);
  try {
    await stepper.step();
    await stepper.reset();
    const ms = new Float64Array(stepper.count);
    for (let t = 0; t < stepper.count; t++) {
      const start = performance.now();
      await stepper.step();
      ms[t] = performance.now() - start;
    }
    return ms;
  } finally {
    stepper.dispose();
  }
}

/** The engine's parameters: the URL's 1-based position s, kept inside the sentence, becomes t0 = s − 1. */
export function toRnnParams(p: ParamValues): RnnStageParams {
  // A sentence with no word in it runs the default one (the diagram shows the tokens it ran).
  const typed = String(p.text);
  const text = rnnStage.stageTokens({ text: typed }).length > 0 ? typed : DEFAULT_SENTENCE;
  const T = rnnStage.stageTokens({ text }).length;
  return {
    text,
    H: Number(p.H),
    d: Number(p.d),
    eps: Number(p.eps),
    t0: Math.min(Math.max(1, Number(p.pos)), T) - 1,
    bf: Number(p.bf),
  };
}

export const rnnRuntime: StageRuntime<RnnResult, RnnStep> = {
  async run(gpu: Gpu | null, params) {
    const p = toRnnParams(params);
    const inputs = rnnStage.program.makeInputs(p, Number(params.seed));
    const r = await runOn(rnnStage.program, gpu, p, inputs, { time: true, trace: true });
    const tolerance = rnnStage.program.tolerance;
    const stepMs = await timeSteps(r.backend === 'webgpu' ? gpu : null, p, inputs);
    return {
      ...ranResult(r),
      params: p,
      inputs,
      gpuCpu:
        r.backend === 'webgpu'
          ? gpuCpuCheck(r.outputs, rnnStage.program.reference(p, inputs), tolerance)
          : null,
      stepMs,
      tolerance,
    };
  },
  createStepper(gpu, _params, result) {
    // The stepper uses the backend the batched run used, so the checks compare like with like.
    return rnnStage.createStepper(result.backend === 'webgpu' ? gpu : null, result.params, result.inputs);
  },
  steps: (params) => rnnStage.stepCount({ text: toRnnParams(params).text }),
  // The sentence is the reader's own and stays; the hidden size H goes first, then the embedding size d.
  fit: (params, limits) =>
    fitSizes(rnnStageParams, params, ['H', 'd'], (p) => rnnStage.largestBinding(toRnnParams(p)), limits),
};
