// Step mode for the Mamba-2 stage: one (chunk, phase) block of the chunked SSD per step (one dispatch on
// the GPU), read back after each, in the order chunk 0 phases 1-4, chunk 1 phases 1-4, ... The Δ
// discretization runs when the stepper is made, the D/z gate in output() after the last step. Without a
// GPU the same blocks come from the float64 reference. Meant for short sequences (T ≤ 1024); the full
// op is mamba2Combined.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type DispatchRecord, runDispatches } from '../../gpu/kernel';
import { readF32 } from '../../gpu/tensor';
import { buildInScope } from '../../gpu/run';
import { mamba2Discretize, mamba2Gate, ssdChunked } from '../../reference/ssdChunked';
import { traceBuffer } from '../../trace/events';
import { makeStepper, type Stepper } from '../program';
import {
  nChunks,
  readSlice,
  SSD_PHASE_NAMES,
  SSD_PHASES,
  type SsdPhase,
  ssdPhaseDispatches,
  ssdPlan,
} from './common';
import {
  checkMamba2,
  type Mamba2HostInputs,
  type Mamba2Params,
  mamba2Buffers,
  mamba2Flags,
  mamba2EndsDispatch,
} from './mamba2Combined';

export { SSD_PHASE_NAMES, type SsdPhase };

type Values = Float32Array | Float64Array;

export interface SsdStepBlock {
  chunk: number;
  phase: SsdPhase;
  /** Rows [t0, t1) of the chunk. */
  t0: number;
  t1: number;
  /**
   * Phase 1: Ydiag rows (batch, t1−t0, H, P). Phase 2: the chunk's own state S_c (batch, H, P, N).
   * Phase 3: the state passed on after this chunk, passed[c+1] (batch, H, P, N) (the final state after
   * the last chunk). Phase 4: the contribution exp(Σ A) C_t · passed[c] (batch, t1−t0, H, P).
   */
  data: Values;
  shape: number[];
  /** Phase 4 only: the finished SSD rows Ydiag + contribution, before D and the z gate. */
  y?: Values;
  /** On the GPU: the dispatch this step ran. */
  dispatches?: DispatchRecord[];
}

export interface Mamba2Stepper extends Stepper<SsdStepBlock> {
  readonly nChunks: number;
  /** Every step in order: nChunks × 4. */
  readonly steps: ReadonlyArray<{ chunk: number; phase: SsdPhase }>;
  /** After the last step: out = (y + D x)·silu(z), (batch, T, H, P). */
  output(): Promise<Values>;
}

export const STEPPER_MAX_T = 1024;

/** Steps in all: the four phases of every chunk (a chunk longer than T is one chunk of length T). */
export const mamba2StepCount = (p: { T: number; Q: number }): number => 4 * nChunks(p.T, Math.min(p.Q, p.T));

/** Rows [t0, t1) of a (batch, T, H·P) array, for every batch: (batch, t1 − t0, H, P). */
function rows(a: Values, p: Mamba2Params, t0: number, t1: number): Values {
  const w = p.H * p.P;
  const out =
    a instanceof Float32Array
      ? new Float32Array(p.batch * (t1 - t0) * w)
      : new Float64Array(p.batch * (t1 - t0) * w);
  for (let b = 0; b < p.batch; b++)
    out.set(a.subarray((b * p.T + t0) * w, (b * p.T + t1) * w), b * (t1 - t0) * w);
  return out;
}

/** Where a backend's blocks come from: run a step, then read what it left. */
interface BlockSource {
  backend: 'webgpu' | 'cpu';
  run(chunk: number, phase: SsdPhase): Promise<DispatchRecord[] | undefined>;
  /** One (batch, H, P, N) state: S_c of `states` or passed[c] of `passed`. */
  state(which: 'states' | 'passed', slot: number): Promise<Values>;
  /** The whole (batch, T, H, P) Ydiag or Y. */
  whole(which: 'Ydiag' | 'Y'): Promise<Values>;
  output(): Promise<Values>;
  free?(): void;
}

function stepperOf(p: Mamba2Params, src: BlockSource): Mamba2Stepper {
  const nC = nChunks(p.T, p.Q);
  const steps = Array.from({ length: nC }, (_, chunk) =>
    SSD_PHASES.map((phase) => ({ chunk, phase })),
  ).flat();
  const shapeState = [p.batch, p.H, p.P, p.N];
  let freed = false;
  const stepper = makeStepper<SsdStepBlock>('mamba2Stepper', {
    backend: src.backend,
    count: mamba2StepCount(p),
    async advance(k) {
      const { chunk, phase } = steps[k];
      const t0 = chunk * p.Q;
      const t1 = Math.min(p.T, t0 + p.Q);
      const dispatches = await src.run(chunk, phase);
      const at = { chunk, phase, t0, t1, dispatches };
      if (phase === 2) return { ...at, data: await src.state('states', chunk), shape: shapeState };
      if (phase === 3) return { ...at, data: await src.state('passed', chunk + 1), shape: shapeState };
      const shape = [p.batch, t1 - t0, p.H, p.P];
      const yd = rows(await src.whole('Ydiag'), p, t0, t1);
      if (phase === 1) return { ...at, data: yd, shape };
      const y = rows(await src.whole('Y'), p, t0, t1);
      return { ...at, data: y.map((v, i) => v - yd[i]), shape, y };
    },
    free() {
      freed = true;
      src.free?.();
    },
  });
  return Object.assign(stepper, {
    nChunks: nC,
    steps,
    async output() {
      if (freed) throw new EngineError('mamba2Stepper', 'output: the stepper was disposed');
      if (stepper.k < stepper.count)
        throw new EngineError('mamba2Stepper', `output needs all ${stepper.count} steps, ${stepper.k} done`);
      return src.output();
    },
  });
}

function cpuSource(p: Mamba2Params, x: Mamba2HostInputs): BlockSource {
  const { X, Adt } = mamba2Discretize(p, x, p.dtSoftplus);
  const r = ssdChunked(p, p.Q, { X, A: Adt, B: x.B, C: x.C });
  const sn = p.batch * p.H * p.P * p.N;
  return {
    backend: 'cpu',
    run: async () => undefined,
    state: async (which, slot) => r[which].slice(slot * sn, (slot + 1) * sn),
    whole: async (which) => r[which],
    output: async () => mamba2Gate(p, r.Y, x),
  };
}

async function gpuSource(gpu: Gpu, p: Mamba2Params, x: Mamba2HostInputs): Promise<BlockSource> {
  return buildInScope(gpu, 'mamba2Stepper', async (scope) => {
    const f = mamba2Flags(p, x);
    const b = mamba2Buffers(scope, p, x, traceBuffer(scope, 1));
    const { prep, gate } = await mamba2EndsDispatch(gpu, scope, p, b, f);
    await runDispatches(gpu, 'mamba2Stepper.prep', [prep]);
    // One dispatch per phase, moved from chunk to chunk through its uniform.
    const phases = ssdPhaseDispatches(gpu, scope, await ssdPlan(gpu, p, p.Q), b.ssd, 0, 1);
    const sn = p.batch * p.H * p.P * p.N;
    const yn = p.batch * p.T * p.H * p.P;
    return {
      backend: 'webgpu',
      async run(chunk, phase) {
        const d = phases[phase - 1];
        d.params.set({ c0: chunk, c1: chunk + 1 });
        return (await runDispatches(gpu, `mamba2Stepper.phase${phase}`, [d])).dispatches;
      },
      state: (which, slot) => readSlice(gpu, scope, b.ssd[which], slot * sn, sn),
      whole: (which) => readF32(gpu, b.ssd[which], yn),
      async output() {
        await runDispatches(gpu, 'mamba2Stepper.gate', [gate]);
        return readF32(gpu, b.out, yn);
      },
      free: () => scope.release(),
    };
  });
}

/** gpu null (or unusable) -> the float64 CPU stepper; otherwise one dispatch per (chunk, phase). */
export async function createMamba2Stepper(
  gpu: Gpu | null,
  params: Mamba2Params,
  x: Mamba2HostInputs,
): Promise<Mamba2Stepper> {
  checkMamba2(params, x);
  // A chunk longer than the sequence is one chunk of length T.
  const p = { ...params, Q: Math.min(params.Q, params.T) };
  if (p.T > STEPPER_MAX_T)
    throw new EngineError('mamba2Stepper', `step mode is for T ≤ ${STEPPER_MAX_T}, got T=${p.T}`);
  return stepperOf(p, gpu?.status === 'ok' ? await gpuSource(gpu, p, x) : cpuSource(p, x));
}
