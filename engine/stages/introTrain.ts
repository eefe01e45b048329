// The six training forms of the `intro` stage on the GPU, each the family's own program run once over all L
// positions (S4 is composed here: the S4D Vandermonde kernel's dispatches, then the FFT convolution's, in
// one submission), traced where the trace counts the steps a state takes along the sequence. Returns each
// model's outputs as (L, d) with the records and trace of what ran. No kernel of its own.

import type { Gpu } from '../gpu/device';
import { type DispatchRecord, runDispatches } from '../gpu/kernel';
import { inScope } from '../gpu/run';
import { readF32 } from '../gpu/tensor';
import type { TraceCapture } from '../trace/events';
import { interleave } from '../util/complex';
import { flashAttentionProgram } from '../programs/attention/flashAttention';
import { linearAttentionChunkedProgram } from '../programs/linearAttention/linearAttentionChunked';
import { selectiveScanChunkedProgram } from '../programs/mamba/selectiveScanChunked';
import { elmanRnnProgram } from '../programs/rnn/elmanRnn';
import { fftConvDispatches } from '../programs/s4/fftConv';
import { s4dKernelDispatches } from '../programs/s4/s4dKernel';
import { mamba2Program } from '../programs/ssd/mamba2Combined';
import {
  attnParams,
  type IntroInputs,
  laParams,
  MODELS,
  type ModelId,
  mamba2Inputs,
  mamba2Params,
  rnnParams,
  scanInputs,
  scanParams,
  transpose,
  W,
} from './introModels';

export interface TrainRun {
  y: Float32Array; // (L, d)
  dispatches: DispatchRecord[];
  trace: TraceCapture | null;
  gpuMs: number | null;
}

/** S4D: K = 2 Re Σ C B̄ Ā^l (zoh) by the Vandermonde product, then y = K * u through the FFT. */
function s4Gpu(gpu: Gpu, L: number, x: IntroInputs, time: boolean): Promise<TrainRun> {
  const { d, N2 } = W;
  return inScope(gpu, 'introStage.s4', async (scope) => {
    const k = await s4dKernelDispatches(
      gpu,
      scope,
      { H: d, N2, L, mode: 0, scale: 2 },
      {
        A: scope.upload('A', interleave(x.s4.A)),
        B: scope.upload('B', interleave(x.s4.B)),
        C: scope.upload('C', interleave(x.s4.C)),
        dt: scope.upload('dt', x.s4.dt),
      },
    );
    const u = scope.upload('u', transpose(x.x, L, d)); // (1, H, L)
    const conv = await fftConvDispatches(gpu, scope, { B: 1, H: d, L }, { u, K: k.K, D: null });
    const run = await runDispatches(gpu, 'introStage.s4', [...k.dispatches, ...conv.dispatches], { time });
    const y = transpose(await readF32(gpu, conv.y, d * L), d, L);
    return { y, dispatches: run.dispatches, trace: null, gpuMs: run.gpuMs };
  });
}

/** Every model's training form, one after another; outputs (L, d) with what each run recorded. */
export async function trainGpu(
  gpu: Gpu,
  L: number,
  x: IntroInputs,
  time = false,
): Promise<Record<ModelId, TrainRun>> {
  const { d } = W;
  const traced = { trace: true, time };
  const qkv = { q: x.q, k: x.k, v: x.v };
  const as = (
    r: { dispatches: DispatchRecord[]; trace: TraceCapture | null; gpuMs: number | null },
    y: Float32Array,
  ) => ({
    y,
    dispatches: r.dispatches,
    trace: r.trace,
    gpuMs: r.gpuMs,
  });
  const f32 = (a: Float32Array | Float64Array) => Float32Array.from(a);
  const runs: Array<() => Promise<TrainRun>> = [
    async () => {
      const r = await elmanRnnProgram.run(gpu, rnnParams(L), { x: x.x, h0: null, weights: [x.rnn] }, traced);
      return as(r, f32(r.outputs.output));
    },
    async () => {
      const r = await flashAttentionProgram.run(gpu, { ...attnParams(L), Br: 16, Bc: 16 }, qkv, { time });
      return as(r, f32(r.outputs.out));
    },
    async () => {
      const r = await linearAttentionChunkedProgram.run(
        gpu,
        laParams(L),
        { ...qkv, initialState: null },
        traced,
      );
      return as(r, f32(r.outputs.o));
    },
    () => s4Gpu(gpu, L, x, time),
    async () => {
      const r = await selectiveScanChunkedProgram.run(gpu, scanParams(L), scanInputs(L, x), traced);
      return as(r, transpose(r.outputs.out, d, L));
    },
    async () => {
      const r = await mamba2Program.run(gpu, mamba2Params(L), mamba2Inputs(x), traced);
      return as(r, f32(r.outputs.out));
    },
  ];
  const out = {} as Record<ModelId, TrainRun>;
  for (const [i, m] of MODELS.entries()) out[m] = await runs[i]();
  return out;
}
