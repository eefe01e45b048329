// RWKV-6, recurrent form (fla naive_recurrent_rwkv6), head-first (B, H, T, ·): o_t = s·q_tᵀ (S_{t−1} +
// diag(u) k_t v_tᵀ), then S_t = diag(e^{w_t}) S_{t−1} + k_t v_tᵀ — GLA's state recursion (glaRecurrent.ts)
// read out before the update, with the bonus u on the current token. The kernel keeps each state column in
// registers; the same kernel over one step at a time is the stepper (rwkv6Stepper.ts).

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type Rwkv6Shape, rwkv6Recurrent } from '../../reference/rwkv6';
import { traceBuffer } from '../../trace/events';
import { Rng } from '../../util/rng';
import type { RunOptions } from '../program';
import { headDispatch, LA_TRACE, type LaRun, laProgram, laRun, scaleFor, tracedSources, WG } from './common';

export interface Rwkv6GpuInputs {
  q: Float32Array; // (B, H, T, K) r
  k: Float32Array; // (B, H, T, K)
  v: Float32Array; // (B, H, T, V)
  w: Float32Array; // (B, H, T, K) log decay ≤ 0
  u: Float32Array; // (H, K) bonus
  initialState?: Float32Array | null; // (B, H, K, V)
}

export interface Rwkv6Options extends RunOptions {
  /** Defaults to K^-0.5; multiplies q. */
  scale?: number;
}

export interface Rwkv6Params extends Rwkv6Shape {
  scale?: number;
  withInitialState?: boolean;
}

/** The shape alone (the reference checks every field it is given). */
export const rwkv6Shape = ({ B, H, T, K, V }: Rwkv6Shape): Rwkv6Shape => ({ B, H, T, K, V });

/** The float64 reference on the program's inputs. */
export const rwkv6Reference = (p: Rwkv6Params, x: Rwkv6GpuInputs) =>
  rwkv6Recurrent(rwkv6Shape(p), { ...x, s0: x.initialState }, p.scale);

/** Seeded inputs: normals for q, k, v (and S0), RWKV-6 style w = log σ(2x) ≤ 0, u uniform in (−1, 1). */
export function makeRwkv6Inputs(p: Rwkv6Params, seed: number): Rwkv6GpuInputs {
  const rng = new Rng(seed);
  const { B, H, T, K, V } = p;
  const n = B * H * T * K;
  const q = rng.normals(n);
  const k = rng.normals(n);
  const v = rng.normals(B * H * T * V);
  const w = rng.normals(n).map((x) => -Math.log1p(Math.exp(-2 * x)));
  const u = rng.uniforms(H * K, -1, 1);
  return { q, k, v, w, u, initialState: p.withInitialState ? rng.normals(B * H * K * V) : null };
}

/** Throws a clear EngineError for bad sizes or arrays of the wrong length; changes nothing. */
export function validateRwkv6(label: string, p: Rwkv6Shape, x: Rwkv6GpuInputs): void {
  for (const key of ['B', 'H', 'T', 'K', 'V'] as const) {
    const n = p[key];
    if (!Number.isInteger(n) || n < 1)
      throw new EngineError(label, `${key} must be a positive integer, got ${n}`);
  }
  const { B, H, T, K, V } = p;
  const want: Array<[string, ArrayLike<number> | null | undefined, number]> = [
    ['q', x.q, B * H * T * K],
    ['k', x.k, B * H * T * K],
    ['v', x.v, B * H * T * V],
    ['w', x.w, B * H * T * K],
    ['u', x.u, H * K],
    ['initial_state', x.initialState, B * H * K * V],
  ];
  for (const [name, a, n] of want) {
    if (name !== 'initial_state' && !a) throw new EngineError(label, `${name} is missing`);
    if (a && a.length !== n)
      throw new EngineError(
        label,
        `${name} has ${a.length} values, want ${n} for B=${B} H=${H} T=${T} K=${K} V=${V}`,
      );
  }
}

export interface Rwkv6Buffers {
  q: GPUBuffer; // (B, H, T, K)
  k: GPUBuffer; // (B, H, T, K)
  v: GPUBuffer; // (B, H, T, V)
  w: GPUBuffer; // (B, H, T, K)
  u: GPUBuffer; // (H, K)
}

/** q, k, v, w and u on the device. */
export function uploadRwkv6(scope: BufferScope, x: Rwkv6GpuInputs): Rwkv6Buffers {
  const { q, k, v, w, u } = x;
  return {
    q: scope.upload('q', q),
    k: scope.upload('k', k),
    v: scope.upload('v', v),
    w: scope.upload('w', w),
    u: scope.upload('u', u),
  };
}

/** Workgroup memory budget for the q, k and e^{w} blocks, in f32 values per block. */
const BLOCK_VALUES = 1024;
const stepsPerBlock = (K: number) => Math.max(1, Math.min(64, Math.floor(BLOCK_VALUES / K)));

export async function rwkv6RecurrentKernel(gpu: Gpu, K: number, trace: boolean) {
  const label = 'rwkv6Recurrent';
  if (K > BLOCK_VALUES) throw new EngineError(label, `K = ${K} exceeds ${BLOCK_VALUES}`);
  return kernel(gpu, {
    label: `${label}.scan`,
    sources: [...tracedSources('rwkv6Recurrent'), 'common/perWorkgroup.wgsl'],
    constants: { WG, TRACE: trace ? 1 : 0 },
    prelude: `const KP: u32 = ${K}u;\nconst TB: u32 = ${stepsPerBlock(K)}u;\n`,
    trace: LA_TRACE,
  });
}

/** Trace records of a run over `steps` steps: per workgroup u, S0, five per block of steps, S out. */
export function rwkv6TraceCapacity(p: Rwkv6Shape, steps: number, hasS0: boolean): number {
  const perGroup = 2 + (hasS0 ? 1 : 0) + 5 * Math.ceil(steps / stepsPerBlock(p.K));
  return p.B * p.H * Math.ceil(p.V / WG) * perGroup;
}

export interface Rwkv6RecurrentPlan extends Rwkv6Shape {
  scale: number;
  /** S holds S0; without it the state starts from zeros. */
  hasS0: boolean;
  trace: boolean;
  /** First step and number of steps (defaults 0 and T); change them per step with `params.set({ t, C })`. */
  t?: number;
  steps?: number;
}

export interface Rwkv6RecurrentBuffers extends Rwkv6Buffers {
  S: GPUBuffer; // (B, H, K, V) S0 in (when hasS0), the state after the last step out
  o: GPUBuffer; // (B, H, T, V)
  trace: GPUBuffer;
}

/** The recurrence on given buffers: one workgroup per (b, h, tile of WG value columns). */
export async function rwkv6RecurrentDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: Rwkv6RecurrentPlan,
  b: Rwkv6RecurrentBuffers,
) {
  const k = await rwkv6RecurrentKernel(gpu, plan.K, plan.trace);
  const fields = { scale: plan.scale, hasS0: plan.hasS0 ? 1 : 0, t: plan.t ?? 0, C: plan.steps ?? plan.T };
  return headDispatch(scope, k, plan, Math.ceil(plan.V / WG), fields, { ...b });
}

/** The buffers every RWKV-6 run makes: the inputs, o (B, H, T, V) and the trace. */
export interface Rwkv6RunBuffers extends Rwkv6Buffers {
  o: GPUBuffer; // (B, H, T, V)
  trace: GPUBuffer;
}

/**
 * What both RWKV-6 *Gpu do: check the inputs, upload, run the dispatches `build` makes (which also names
 * the buffer holding the final state), and read o and that state back, all in one BufferScope.
 */
export async function rwkv6Run(
  gpu: Gpu,
  label: string,
  p: Rwkv6Shape,
  x: Rwkv6GpuInputs,
  opts: Rwkv6Options & { traceCapacity: number },
  build: (
    scope: BufferScope,
    b: Rwkv6RunBuffers,
    scale: number,
  ) => Promise<{ dispatches: Dispatch[]; state: GPUBuffer }>,
): Promise<LaRun> {
  validateRwkv6(label, p, x);
  const scale = scaleFor(p, opts.scale);
  const { B, H, T, K, V } = p;
  return laRun(gpu, label, opts, async (scope) => {
    const b: Rwkv6RunBuffers = {
      ...uploadRwkv6(scope, x),
      o: scope.storage('o', B * H * T * V * 4),
      trace: traceBuffer(scope, opts.trace ? opts.traceCapacity : 1),
    };
    const { dispatches, state } = await build(scope, b, scale);
    return { dispatches, o: [b.o, B * H * T * V], finalState: [state, B * H * K * V], trace: b.trace };
  });
}

export function rwkv6RecurrentGpu(
  gpu: Gpu,
  p: Rwkv6Shape,
  x: Rwkv6GpuInputs,
  opts: Rwkv6Options = {},
): Promise<LaRun> {
  const hasS0 = !!x.initialState;
  const traceCapacity = rwkv6TraceCapacity(p, p.T, hasS0);
  return rwkv6Run(gpu, 'rwkv6Recurrent', p, x, { ...opts, traceCapacity }, async (scope, b, scale) => {
    const { B, H, K, V } = p;
    const S = x.initialState ? scope.upload('S', x.initialState) : scope.storage('S', B * H * K * V * 4);
    const plan = { ...p, scale, hasS0, trace: opts.trace ?? false };
    return { dispatches: [await rwkv6RecurrentDispatch(gpu, scope, plan, { ...b, S })], state: S };
  });
}

export const rwkv6RecurrentProgram = laProgram<Rwkv6Params, Rwkv6GpuInputs>({
  id: 'rwkv6Recurrent',
  title: 'RWKV-6, recurrent form o_t = s q_tᵀ(S + diag(u) k_t v_tᵀ), S ← diag(e^{w_t}) S + k_t v_tᵀ',
  makeInputs: makeRwkv6Inputs,
  reference: rwkv6Reference,
  gpu: (gpu, p, x, opts) => rwkv6RecurrentGpu(gpu, rwkv6Shape(p), x, { ...opts, scale: p.scale }),
});
