// The attention stage's runtime: one batched program run (GPU or CPU) with the bytes of S and P from its
// records, on the GPU the CPU reference beside it for the GPU = CPU check, the measured cost of a decode
// step at longer caches, and the decode stepper. No React here: on the CPU backend this runs in the worker.

import { attentionStage, type Gpu, relCheck, runOn } from '../../../engine';
import { stageRan } from '../ran';
import { fitSizes, type ParamValues, type StageRan, type StageRuntime } from '../types';
import { attentionStageParams } from './params';

type Params = attentionStage.AttentionStageParams;

/** Cache lengths N at which one decode step is timed (beyond the sentence, so the growth shows). */
export const COST_LENGTHS = [64, 256, 1024, 4096] as const;
const COST_REPEATS = 3;

export interface CheckValue {
  maxErr: number;
  tolerance: number;
}

export interface AttentionResult {
  backend: 'webgpu' | 'cpu';
  ran: StageRan;
  params: Params;
  /** h_k asked for in the URL when it was more than h (then h_k = h is used), else null. */
  hkAsked: number | null;
  seed: number;
  inputs: attentionStage.AttentionStageInputs;
  outputs: attentionStage.AttentionStageOutputs;
  /** Relative tolerance of the program: |a − b| <= tolerance · max(1, max|b|). */
  tolerance: number;
  memory: attentionStage.ScoreMemory;
  cost: attentionStage.DecodeCost[];
  /** GPU outputs vs the float64 reference (the worst output), on the GPU backend only. */
  gpuCpu: (CheckValue & { output: string }) | null;
}

export type AttentionStep = attentionStage.DecodeStep;

export function toAttentionParams(p: ParamValues): { params: Params; hkAsked: number | null; seed: number } {
  const h = Number(p.h);
  const hk = Number(p.hk);
  return {
    params: { text: String(p.text), d: Number(p.d), h, hk: Math.min(hk, h), causal: p.causal !== 'off' },
    hkAsked: hk > h ? hk : null,
    seed: Number(p.seed),
  };
}

/** The output whose error is the largest share of its bound, as one check value. */
function worstOf(
  got: Record<string, ArrayLike<number>>,
  want: Record<string, ArrayLike<number>>,
  rel: number,
) {
  let worst = { maxErr: 0, tolerance: rel, output: '', share: -1 };
  for (const key of Object.keys(want)) {
    const r = relCheck(got[key], want[key], rel);
    const share = r.err / r.bound;
    if (share > worst.share) worst = { maxErr: r.err, tolerance: r.bound, output: key, share };
  }
  const { share: _, ...check } = worst;
  return check;
}

export const attentionRuntime: StageRuntime<AttentionResult, AttentionStep> = {
  async run(gpu: Gpu | null, values) {
    const { params, hkAsked, seed } = toAttentionParams(values);
    const { program } = attentionStage;
    const inputs = program.makeInputs(params, seed);
    // Traced and timed: the GPU panel shows naive attention writing S and P, and the submission's GPU time.
    const r = await runOn(program, gpu, params, inputs, { time: true, trace: true });
    const gpuCpu =
      r.backend === 'webgpu'
        ? worstOf(r.outputs, program.reference(params, inputs), program.tolerance)
        : null;
    const cost = await attentionStage.measureDecodeCost(
      r.backend === 'webgpu' ? gpu : null,
      params,
      COST_LENGTHS,
      COST_REPEATS,
    );
    return {
      backend: r.backend,
      ran: stageRan(r),
      params,
      hkAsked,
      seed,
      inputs,
      outputs: r.outputs,
      tolerance: program.tolerance,
      memory: attentionStage.scoreMemory(r),
      cost,
      gpuCpu,
    };
  },
  createStepper(gpu, _values, result) {
    // The stepper uses the backend the batched run used, so the decode check compares like with like.
    return attentionStage.createStepper(
      result.backend === 'webgpu' ? gpu : null,
      result.params,
      result.inputs,
    );
  },
  steps: (values) => attentionStage.stepCount(toAttentionParams(values).params),
  // The sentence stays; the head dim d goes first, then the K/V heads, then the query heads.
  fit: (values, limits) =>
    fitSizes(
      attentionStageParams,
      values,
      ['d', 'hk', 'h'],
      (p) => attentionStage.largestBinding(toAttentionParams(p).params, COST_LENGTHS),
      limits,
    ),
};
