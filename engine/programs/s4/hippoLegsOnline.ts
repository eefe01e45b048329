// hippoLegsOnline: HiPPO-LegS's online approximation of a whole history (state-spaces/s4 visualizations.py
// HiPPOScale, method 'legs'; golden README subtlety 18) on the GPU, in one submission: HiPPO-LegS A, B;
// the transitions Ā_k, B̄_k of every step in parallel (step k discretizes A/k, B/k: bilinear, forward,
// backward or zoh); the time-varying recurrence c_k = Ā_k c_{k−1} + B̄_k f_k, sequential in one workgroup;
// and the reconstruction Σ_n sqrt(2n+1) P_n(2s−1) c_L[n] over s = linspace(0, 1, L), oldest sample first.
//
// Memory: all L transitions take 4·L·N² bytes (500 MB at L = 500k, N = 16). Only a run that returns them
// (A_stacked, B_stacked) stores them all, and it is refused with an EngineError before anything is
// allocated when they exceed the device's buffer limits. Otherwise the run goes in chunks: the transitions
// of `chunk` steps (at most TRANSITION_BUDGET bytes) are made in parallel into a ring, the recurrence runs
// those steps, and the next chunk reuses the ring — every step's transition is still made in parallel with
// its chunk's others, where fusing transition and step into the sequential workgroup would serialize the
// O(N³) per-step work. The transition kernel's scratch (3(N+1)² floats for zoh) is held for `batch`
// workgroups per dispatch, at most SCRATCH_BUDGET bytes.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32, readU32 } from '../../gpu/tensor';
import { inScope } from '../../gpu/run';
import { hippoLegsOnline } from '../../reference/hippoOnline';
import { readTrace, traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';
import { checkL, checkN, type GpuRun, MAX_DENSE_N, runResult } from './common';
import { hippoLegsDispatch } from './hippoLegs';
import {
  HIPPO_ONLINE_TRACE,
  ONLINE_DISCS,
  type OnlineDisc,
  reconstructDispatch,
  reconstructWorkgroups,
  recurrenceDispatch,
  transitionDispatch,
  transitionScratch,
} from './hippoOnlineKernels';

export type { OnlineDisc };

const LABEL = 'hippoLegsOnline';
export const TRANSITION_BUDGET = 64 << 20;
export const SCRATCH_BUDGET = 32 << 20;

export interface HippoOnlineParams {
  N: number;
  L: number;
  disc: OnlineDisc;
}

export interface OnlinePlan extends HippoOnlineParams {
  /** Whether every transition is kept and read back (A_stacked, B_stacked). */
  stacked: boolean;
  /** Steps whose transitions are held at once (L when stacked). */
  chunk: number;
  /** Transition workgroups per dispatch: the scratch slots. */
  batch: number;
}

export function checkOnline(label: string, p: HippoOnlineParams): void {
  checkN(label, p.N, MAX_DENSE_N);
  checkL(label, p.L);
  if (!ONLINE_DISCS.includes(p.disc))
    throw new EngineError(
      label,
      `disc must be one of ${ONLINE_DISCS.join(', ')} (got ${JSON.stringify(p.disc)})`,
    );
}

/** The chunking of a run on a device with these limits; throws before any allocation when it cannot fit. */
export function hippoLegsOnlinePlan(
  limits: Gpu['limits'],
  p: HippoOnlineParams & { stacked?: boolean; chunk?: number },
): OnlinePlan {
  checkOnline(LABEL, p);
  const { N, L, disc } = p;
  const stacked = p.stacked ?? false;
  const maxBind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const step = 4 * N * N;
  if (4 * L * N > maxBind)
    throw new EngineError(
      LABEL,
      `the coefficients (L,N) = (${L},${N}) need ${4 * L * N} bytes; the device binds at most ${maxBind}`,
    );
  if (stacked && L * step > maxBind)
    throw new EngineError(
      LABEL,
      `A_stacked (L,N,N) = (${L},${N},${N}) needs ${L * step} bytes; the device binds at most ${maxBind}. Run without the stacked transitions: they are then made chunk by chunk`,
    );
  const fit = Math.max(1, Math.floor(Math.min(maxBind, TRANSITION_BUDGET) / step));
  const chunk = stacked ? L : Math.min(L, p.chunk ?? fit, fit);
  const scratch = 4 * transitionScratch(N, disc);
  const batch =
    scratch === 0
      ? chunk
      : Math.max(1, Math.min(chunk, Math.floor(Math.min(maxBind, SCRATCH_BUDGET) / scratch)));
  return { N, L, disc, stacked, chunk, batch };
}

/** Trace records a traced run makes: 4 per step, 6 per recurrence window, 2 per reconstruction workgroup. */
export function hippoLegsOnlineTraceEvents(plan: OnlinePlan): number {
  return 4 * plan.L + 6 * Math.ceil(plan.L / plan.chunk) + 2 * reconstructWorkgroups(plan.L);
}

export interface OnlineBuffers {
  f: GPUBuffer; // (L,)
  coefficients: GPUBuffer; // (L, N)
  reconstruction: GPUBuffer; // (L,)
  trace: GPUBuffer;
}

/** The whole run's dispatches on the given buffers; Abar/Bbar hold every transition when plan.stacked. */
export async function hippoLegsOnlineDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: OnlinePlan,
  b: OnlineBuffers,
  trace = false,
) {
  const { N, L, disc, chunk, batch } = plan;
  const legs = await hippoLegsDispatch(gpu, scope, N);
  const ring = {
    A: legs.A,
    B: legs.B,
    work: scope.storage('work', Math.max(4, 4 * batch * transitionScratch(N, disc))), // (batch, S)
    Abar: scope.storage('Abar', 4 * chunk * N * N), // (chunk, N, N)
    Bbar: scope.storage('Bbar', 4 * chunk * N), // (chunk, N)
    status: scope.storage('status', 4), // (1,)
    trace: b.trace,
  };
  const c = scope.storage('c', 4 * N); // (N,)
  const dispatches: Dispatch[] = [legs.dispatch];
  for (let k0 = 0; k0 < L; k0 += chunk) {
    const steps = Math.min(chunk, L - k0);
    for (let first = 0; first < steps; first += batch) {
      const count = Math.min(batch, steps - first);
      dispatches.push(await transitionDispatch(gpu, scope, { N, disc, k0, first, count }, ring, trace));
    }
    const rb = { Abar: ring.Abar, Bbar: ring.Bbar, f: b.f, c, coefficients: b.coefficients, trace: b.trace };
    dispatches.push(await recurrenceDispatch(gpu, scope, { N, L, k0, steps }, rb, trace));
  }
  const rec = { coefficients: b.coefficients, reconstruction: b.reconstruction, trace: b.trace };
  dispatches.push(await reconstructDispatch(gpu, scope, { N, samples: L, row: L - 1 }, rec, trace));
  return { dispatches, Abar: ring.Abar, Bbar: ring.Bbar, status: ring.status };
}

/** Throws a clear EngineError when a transition kernel flagged a singular system or non-finite entries. */
export async function checkOnlineStatus(gpu: Gpu, status: GPUBuffer): Promise<void> {
  const s = (await readU32(gpu, status, 1))[0];
  if (s === 1) throw new EngineError(LABEL, 'a transition system I − αA/k is singular');
  if (s === 2) throw new EngineError(LABEL, 'a zoh transition has non-finite entries');
}

export interface OnlineResult extends GpuRun {
  coefficients: Float32Array; // (L, N)
  reconstruction: Float32Array; // (L,)
  Astacked: Float32Array | null; // (L, N, N) when asked for
  Bstacked: Float32Array | null; // (L, N)
}

export async function hippoLegsOnlineGpu(
  gpu: Gpu,
  f: Float32Array,
  N: number,
  disc: OnlineDisc = 'bilinear',
  opts: RunOptions & { stacked?: boolean; chunk?: number } = {},
): Promise<OnlineResult> {
  const L = f.length;
  const plan = hippoLegsOnlinePlan(gpu.limits, { N, L, disc, stacked: opts.stacked, chunk: opts.chunk });
  return inScope(gpu, LABEL, async (scope) => {
    const b: OnlineBuffers = {
      f: scope.upload('f', f),
      coefficients: scope.storage('coefficients', 4 * L * N),
      reconstruction: scope.storage('reconstruction', 4 * L),
      trace: traceBuffer(scope, opts.trace ? hippoLegsOnlineTraceEvents(plan) : 1),
    };
    const d = await hippoLegsOnlineDispatch(gpu, scope, plan, b, opts.trace);
    const run = await runDispatches(gpu, LABEL, d.dispatches, { time: opts.time });
    await checkOnlineStatus(gpu, d.status);
    return {
      coefficients: await readF32(gpu, b.coefficients, L * N),
      reconstruction: await readF32(gpu, b.reconstruction, L),
      Astacked: plan.stacked ? await readF32(gpu, d.Abar, L * N * N) : null,
      Bstacked: plan.stacked ? await readF32(gpu, d.Bbar, L * N) : null,
      trace: opts.trace ? await readTrace(gpu, b.trace, HIPPO_ONLINE_TRACE) : null,
      ...run,
    };
  });
}

export interface HippoOnlineInputs {
  f: Float32Array; // (L,)
}
export type HippoOnlineOutputs = {
  coefficients: Float32Array | Float64Array; // (L, N)
  reconstruction: Float32Array | Float64Array; // (L,)
};

/** A smooth signal: three sines of random frequency (0.5 to 4 periods over L), phase and amplitude. */
export function smoothSignal(L: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const waves = Array.from({ length: 3 }, () => [
    rng.uniform(0.5, 4),
    rng.uniform(0, 2 * Math.PI),
    rng.uniform(0.3, 1),
  ]);
  return Float32Array.from({ length: L }, (_, i) =>
    waves.reduce((a, [fr, ph, amp]) => a + amp * Math.sin((2 * Math.PI * fr * i) / L + ph), 0),
  );
}

export const hippoLegsOnlineProgram: Program<HippoOnlineParams, HippoOnlineInputs, HippoOnlineOutputs> = {
  id: 'hippoLegsOnline',
  title: 'HiPPO-LegS online: the whole history in N coefficients',
  makeInputs: (p, seed) => ({ f: smoothSignal(p.L, seed) }),
  reference(p, x) {
    const r = hippoLegsOnline(x.f, p.N, p.disc);
    return { coefficients: r.coefficients, reconstruction: r.reconstruction };
  },
  async run(gpu, p, x, opts = {}) {
    if (x.f.length !== p.L) throw new EngineError(LABEL, `f must be (L,) = (${p.L},); got ${x.f.length}`);
    const r = await hippoLegsOnlineGpu(gpu, x.f, p.N, p.disc, opts);
    return runResult({ coefficients: r.coefficients, reconstruction: r.reconstruction }, r);
  },
  tolerance: 1e-4,
};
