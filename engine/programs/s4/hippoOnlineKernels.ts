// The three kernels of HiPPO-LegS's online approximation and a dispatch builder for each, on buffers it is
// given (hippoLegsOnline.ts chains them into one submission; the stepper runs them one step at a time):
// the transitions Ā_k, B̄_k of a run of steps (one workgroup per step), the time-varying recurrence over a
// window of steps (one workgroup), and the reconstruction of the history from one row of coefficients (one
// invocation per sample). The WGSL: shaders/s4/hippoOnline{Transition,Scan,Reconstruct}.wgsl.

import type { Gpu } from '../../gpu/device';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import type { OnlineDisc } from '../../reference/hippoOnline';
import { traceTable } from '../../trace/tensors';
import { scanLayout } from './ssmScan';

export type { OnlineDisc };

export const ONLINE_DISCS: readonly OnlineDisc[] = ['bilinear', 'forward', 'backward', 'zoh'];

/** What a trace event of these kernels points at. */
export const HIPPO_ONLINE_TRACE = traceTable([
  'A',
  'B',
  'Abar',
  'Bbar',
  'f',
  'c',
  'coefficients',
  'reconstruction',
]);

const TRANSITION_WG = 256;
const RECONSTRUCT_WG = 64;

/** Scratch floats one workgroup of the transition kernel needs (denseDisc.wgsl's regions). */
export function transitionScratch(N: number, disc: OnlineDisc): number {
  if (disc === 'zoh') return 3 * (N + 1) * (N + 1);
  if (disc === 'forward') return 0;
  return N * (2 * N + 1) + N;
}

const traced = (trace: boolean) => ({ TRACE: trace ? 1 : 0 });

export function transitionKernel(gpu: Gpu, disc: OnlineDisc, trace = false) {
  return kernel(gpu, {
    label: `hippoLegsOnline.transition.${disc}`,
    sources: ['common/trace.wgsl', 'common/grid.wgsl', 's4/denseDisc.wgsl', 's4/hippoOnlineTransition.wgsl'],
    constants: { WG: TRANSITION_WG, DISC: ONLINE_DISCS.indexOf(disc), ...traced(trace) },
    trace: HIPPO_ONLINE_TRACE,
  });
}

export interface TransitionBuffers {
  A: GPUBuffer; // (N, N)
  B: GPUBuffer; // (N,)
  work: GPUBuffer; // (count, transitionScratch(N, disc)), at least 4 bytes
  Abar: GPUBuffer; // (slots, N, N)
  Bbar: GPUBuffer; // (slots, N)
  status: GPUBuffer; // (1,) u32
  trace: GPUBuffer;
}

/** Steps k0+first+1 .. k0+first+count (1-based) into slots first .. first+count−1. */
export async function transitionDispatch(
  gpu: Gpu,
  scope: BufferScope,
  w: { N: number; disc: OnlineDisc; k0: number; first: number; count: number },
  b: TransitionBuffers,
  trace = false,
): Promise<Dispatch & { params: Uniform }> {
  const k = await transitionKernel(gpu, w.disc, trace);
  const params = uniformFor(scope, k, { N: w.N, k0: w.k0, first: w.first, count: w.count });
  const grid = gridFor(gpu, k.label, w.count);
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: grid.workgroups, params };
}

export function recurrenceKernel(gpu: Gpu, N: number, trace = false) {
  const { R, WG } = scanLayout(N);
  return kernel(gpu, {
    label: 'hippoLegsOnline.recurrence',
    sources: ['common/trace.wgsl', 's4/hippoOnlineScan.wgsl'],
    constants: { WG, RSPLIT: R, ...traced(trace) },
    trace: HIPPO_ONLINE_TRACE,
  });
}

export interface RecurrenceBuffers {
  Abar: GPUBuffer; // (steps, N, N)
  Bbar: GPUBuffer; // (steps, N)
  f: GPUBuffer; // (L,)
  c: GPUBuffer; // (N,)
  coefficients: GPUBuffer; // (L, N)
  trace: GPUBuffer;
}

/** Steps k0 .. k0+steps−1 (0-based rows of the coefficients) from transition slots 0 .. steps−1. */
export async function recurrenceDispatch(
  gpu: Gpu,
  scope: BufferScope,
  w: { N: number; L: number; k0: number; steps: number },
  b: RecurrenceBuffers,
  trace = false,
): Promise<Dispatch & { params: Uniform }> {
  const k = await recurrenceKernel(gpu, w.N, trace);
  const params = uniformFor(scope, k, { N: w.N, L: w.L, k0: w.k0, steps: w.steps });
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: [1], params };
}

export function reconstructKernel(gpu: Gpu, trace = false) {
  return kernel(gpu, {
    label: 'hippoLegsOnline.reconstruct',
    sources: ['common/trace.wgsl', 'common/grid.wgsl', 's4/hippoOnlineReconstruct.wgsl'],
    constants: { WG: RECONSTRUCT_WG, ...traced(trace) },
    trace: HIPPO_ONLINE_TRACE,
  });
}

/** Workgroups of the reconstruction of `L` samples (one trace load and store each). */
export const reconstructWorkgroups = (L: number) => Math.ceil(L / RECONSTRUCT_WG);

/**
 * The reconstruction of `samples` samples from coefficients row `row`. `maxSamples` sizes the grid, so a
 * stepper can reuse one dispatch for a growing history (uniform.set({L, at})).
 */
export async function reconstructDispatch(
  gpu: Gpu,
  scope: BufferScope,
  w: { N: number; samples: number; row: number; maxSamples?: number },
  b: { coefficients: GPUBuffer; reconstruction: GPUBuffer; trace: GPUBuffer },
  trace = false,
): Promise<Dispatch & { params: Uniform }> {
  const k = await reconstructKernel(gpu, trace);
  const params = uniformFor(scope, k, { N: w.N, L: w.samples, at: w.row * w.N });
  const grid = gridForInvocations(gpu, k.label, w.maxSamples ?? w.samples, RECONSTRUCT_WG);
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: grid.workgroups, params };
}
