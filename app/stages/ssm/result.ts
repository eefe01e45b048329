// The ssm stage's runtime: one batched program run (GPU or CPU) and a stepper that runs the recurrence
// one GPU dispatch per step. Also the typed views of the store's opaque result and step cache.

import {
  createSsmStepper,
  type Disc,
  type Gpu,
  runOn,
  type Signal,
  type SsmStageInputs,
  type SsmStageOutputs,
  type SsmStageParams,
  ssmStageProgram,
} from '../../../engine';
import { useApp } from '../../store';
import type { ParamValues, StageRuntime } from '../types';

/** Inputs are seeded (C and the noise signal), so every link shows the same numbers. */
export const SSM_SEED = 7;

export interface SsmResult {
  backend: 'webgpu' | 'cpu';
  params: SsmStageParams;
  inputs: SsmStageInputs;
  outputs: SsmStageOutputs;
  /** Relative tolerance of the program: |a − b| <= tolerance · max(1, max|b|). */
  tolerance: number;
}

/** One recurrence step as read back from the stepper. */
export interface SsmStep {
  /** 1-based, as on screen (the engine counts from 0). */
  k: number;
  h: Float32Array; // (N,)
  y: number;
}

export function toSsmParams(p: ParamValues): SsmStageParams {
  return {
    N: Number(p.N),
    L: Number(p.L),
    dt: Number(p.dt),
    disc: String(p.disc) as Disc,
    signal: String(p.signal) as Signal,
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
    const inputs = ssmStageProgram.makeInputs(p, SSM_SEED);
    const r = await runOn(ssmStageProgram, gpu, p, inputs);
    return {
      backend: r.backend,
      params: p,
      inputs,
      outputs: r.outputs,
      tolerance: ssmStageProgram.tolerance,
    };
  },
  async createStepper(gpu, _params, result) {
    // The stepper uses the backend the batched run used, so the check compares like with like.
    const stepper = await createSsmStepper(
      result.backend === 'webgpu' ? gpu : null,
      result.params,
      discretized(result),
      result.inputs,
    );
    return {
      async step() {
        const r = await stepper.step();
        return { k: r.k + 1, h: Float32Array.from(r.x), y: r.y };
      },
      dispose: () => stepper.dispose(),
    };
  },
  steps: (params) => Number(params.L),
};

export function useSsmResult(): SsmResult | null {
  return useApp((s) =>
    s.compute.status === 'ready' || s.compute.status === 'running'
      ? (s.compute.result as SsmResult | null)
      : null,
  );
}

export function useSsmSteps(): readonly SsmStep[] {
  return useApp((s) => s.steps as readonly SsmStep[]);
}
