// The intro stage's runtime: one engine run (GPU or CPU) gives both forms of all six models and every figure
// of the table. The stage has no playback: its stepper has no steps (the engine's own stepper runs inside
// the program, one generated token per step). No React here: on the CPU backend this runs in the worker.

import { type Gpu, introStage, runOn, tokenize } from '../../../engine';
import { noSteps, ranResult } from '../ran';
import { fitSizes, type ParamValues, type StageRan, type StageRuntime } from '../types';
import { introStageParams } from './params';

/** Inputs are seeded (weights and the embedding), so every link shows the same numbers. */
export const INTRO_SEED = 11;

export interface IntroResult {
  backend: 'webgpu' | 'cpu';
  ran: StageRan;
  params: introStage.IntroStageParams;
  /** The sentence's own tokens (before cycling to L). */
  words: string[];
  outputs: introStage.IntroStageOutputs;
  tolerance: number;
}

export function toIntroParams(p: ParamValues): introStage.IntroStageParams {
  return { L: Number(p.L), text: String(p.text) };
}

export const introRuntime: StageRuntime<IntroResult, never> = {
  async run(gpu: Gpu | null, params) {
    const p = toIntroParams(params);
    const inputs = introStage.program.makeInputs(p, INTRO_SEED);
    const r = await runOn(introStage.program, gpu, p, inputs, { time: true });
    return {
      ...ranResult(r),
      params: p,
      words: tokenize(p.text),
      tolerance: introStage.program.tolerance,
    };
  },
  async createStepper(_gpu, _params, result) {
    return noSteps('intro', result.backend);
  },
  steps: () => 0,
  fit: (params, limits) =>
    fitSizes(
      introStageParams,
      params,
      ['L'],
      (p) => introStage.largestBinding(toIntroParams(p), limits),
      limits,
    ),
};
