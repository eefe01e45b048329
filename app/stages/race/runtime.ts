// The race's runtime. `run` is cheap: it decides the plan (sizes from the adapter, the reader's algorithms
// and lengths) and lists every algorithm of those sizes; the race itself starts from the Run button
// (startRace, called by hooks.ts in the page: the CPU worker never races). On the CPU backend the result
// says so and the page shows the H200 reference curves. No React here: this file also runs in the worker.

import { type Gpu, raceStage } from '../../../engine';
import { noSteps, stageRan } from '../ran';
import type { ParamValues, StageRan, StageRuntime } from '../types';
import { raceChoice } from './params';

export interface RaceResult {
  backend: 'webgpu' | 'cpu';
  ran: StageRan;
  adapterName: string | null;
  plan: raceStage.RacePlan;
  /** Every algorithm of the plan's sizes (the checkboxes), in the suite's order. */
  algorithms: raceStage.AlgorithmInfo[];
}

export function planFor(adapterName: string | null, params: ParamValues): raceStage.RacePlan {
  const name = adapterName ?? '';
  const first = raceStage.racePlan(name, { ids: [], from: 0, to: 0, budgetS: 0 });
  return raceStage.racePlan(name, raceChoice(params, first.sizes));
}

export const raceRuntime: StageRuntime<RaceResult, never> = {
  async run(gpu: Gpu | null, params) {
    const backend = gpu ? 'webgpu' : 'cpu';
    const plan = planFor(gpu?.adapterName ?? null, params);
    return {
      backend,
      ran: stageRan({ backend, dispatches: [], gpuMs: null, trace: null }),
      adapterName: gpu?.adapterName ?? null,
      plan,
      algorithms: raceStage.algorithms(plan.sizes).map(raceStage.algorithmInfo),
    };
  },
  async createStepper(_gpu, _params, result) {
    return noSteps('race', result.backend);
  },
  steps: () => 0,
};

/** The ran of one row, for the GPU panel and the kernel view. */
export const rowRan = (rec: raceStage.RunRecord): StageRan =>
  stageRan({ backend: 'webgpu', dispatches: rec.dispatches, gpuMs: rec.gpuMs, trace: null });
