// The ssm stage's runtime: one batched program run (GPU or CPU) and a stepper that runs the recurrence
// one GPU dispatch per step. No React here: on the CPU backend this runs in the worker (hooks.ts reads it).

import { type Gpu, runOn, ssmStage } from '../../../engine';
import { ranResult } from '../ran';
import { fitSizes, type ParamValues, type StageRan, type StageRuntime } from '../types';
import { ssmStageParams } from './params';

/** Inputs are seeded (C and the noise signal), so every link shows the same numbers. */
export const SSM_SEED = 7;

type SsmStageParams = ssmStage.SsmStageParams;

export interface SsmResult {
  backend: 'webgpu' | 'cpu';
  ran: StageRan;
  params: SsmStageParams;
  inputs: ssmStage.SsmStageInputs;
  outputs: ssmStage.SsmStageOutputs;
  /** Relative tolerance of the program: |a − b| <= tolerance · max(1, max|b|). */
  tolerance: number;
}

/**
 * One recurrence step as the engine's stepper read it back: k counts from 0 and the state is S4's x; the
 * screen writes Mamba's names (step k+1, state h), translated where it is drawn (docs/notation.md).
 */
export type SsmStep = ssmStage.SsmStep;

export function toSsmParams(p: ParamValues): SsmStageParams {
  return {
    N: Number(p.N),
    L: Number(p.L),
    dt: Number(p.dt),
    disc: String(p.disc) as ssmStage.Disc,
    signal: String(p.signal) as ssmStage.Signal,
  };
}

export function discretized(r: SsmResult): { Abar: ArrayLike<number>; Bbar: ArrayLike<number> } {
  return r.params.disc === 'zoh'
    ? { Abar: r.outputs.AbarZoh, Bbar: r.outputs.BbarZoh }
    : { Abar: r.outputs.AbarBilinear, Bbar: r.outputs.BbarBilinear };
}

export const ssmRuntime: StageRuntime<SsmResult, SsmStep> = {
  async run(gpu: Gpu | null, params) {
    const p = toSsmParams(params);
    const inputs = ssmStage.program.makeInputs(p, SSM_SEED);
    // Traced and timed: the GPU panel shows the scan's tiles moving and the submission's GPU time.
    const r = await runOn(ssmStage.program, gpu, p, inputs, { time: true, trace: true });
    return {
      ...ranResult(r),
      params: p,
      inputs,
      tolerance: ssmStage.program.tolerance,
    };
  },
  createStepper(gpu, _params, result) {
    // The stepper uses the backend the batched run used, so the check compares like with like.
    return ssmStage.createStepper(
      result.backend === 'webgpu' ? gpu : null,
      result.params,
      discretized(result),
      result.inputs,
    );
  },
  steps: (params) => ssmStage.stepCount(toSsmParams(params)),
  // L first: a shorter sequence keeps the state size the reader chose.
  fit: (params, limits) =>
    fitSizes(ssmStageParams, params, ['L', 'N'], (p) => ssmStage.largestBinding(toSsmParams(p)), limits),
};
