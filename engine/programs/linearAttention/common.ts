// Host-side pieces shared by the linear-attention GPU programs: shapes and seeded inputs, input validation,
// the normalize option (a column of ones appended to v gives the denominator), the gate kind, the family's
// one uniform (LaParams in shaders/linearAttention/laCommon.wgsl) and per-head grid, the trace table, and the
// gate cumsum that the chunked form runs first.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { gridFor, gridForInvocations } from '../../gpu/grid';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import { type RunRecord, runAndRead } from '../../gpu/run';
import type { BufferScope } from '../../gpu/tensor';
import { type Uniform, uniformFor } from '../../gpu/uniforms';
import type { LaShape } from '../../reference/linearAttention';
import { defaultScale } from '../../reference/linearAttention';
import { readTrace, type TraceCapture } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Program, RunOptions } from '../program';

/** Invocations per workgroup in every kernel of the family. */
export const WG = 64;

/** The WGSL every kernel of the family starts from: the fold, LaParams and laTile(). */
export const LA_SOURCES = ['common/grid.wgsl', 'linearAttention/laCommon.wgsl'];

/** A traced kernel's sources: LA_SOURCES, the trace module, then `files` (names under linearAttention/). */
export const tracedSources = (...files: string[]) => [
  ...LA_SOURCES,
  'common/trace.wgsl',
  ...files.map((f) => `linearAttention/${f}.wgsl`),
];

/** Tensors and chunk phases the linear-attention kernels record (chunkPhase events name the phase in aux). */
export const LA_TRACE = traceTable(
  ['q', 'k', 'v', 'gate', 'states', 'o', 'final_state', 's0', 'u', 'attn'],
  ['chunkState', 'stateScan', 'interChunk', 'intraChunk'],
);

export interface LaQkv {
  q: Float32Array; // (B, T, H, K)
  k: Float32Array; // (B, T, H, K)
  v: Float32Array; // (B, T, H, V)
}

export interface LaGpuInputs extends LaQkv {
  /** Scalar log-decay (simple GLA), ≤ 0. */
  g?: Float32Array | null; // (B, T, H)
  /** Log-decay over K (GLA). */
  gk?: Float32Array | null; // (B, T, H, K)
  initialState?: Float32Array | null; // (B, H, K, V)
}

export interface LaGpuOptions {
  /** Defaults to K^-0.5. */
  scale?: number;
  /** fla normalize: o_t /= (s q_t · Σ_{s≤t} k_s) + 1e-10. */
  normalize?: boolean;
  trace?: boolean;
  time?: boolean;
}

/** What a linear-attention GPU run returns: outputs, and its time, trace and every dispatch it made. */
export interface LaRun extends RunRecord {
  o: Float32Array; // (B, T, H, V), or (B, H, T, V) head-first
  finalState: Float32Array; // (B, H, K, V)
  trace: TraceCapture | null;
}

/**
 * runAndRead (engine/gpu/run.ts) for the family: builds the dispatches in a fresh scope, runs them in one
 * submission, reads back the outputs named in `read` (buffer, f32 count), then what `after` reads, then the
 * trace when `opts.trace` (null otherwise, or without a trace buffer), and frees every buffer.
 */
export function laRunAndRead<K extends string, E extends object = object>(
  gpu: Gpu,
  label: string,
  opts: { trace?: boolean; time?: boolean },
  build: (scope: BufferScope) => Promise<{
    dispatches: Dispatch[];
    read: Record<K, [GPUBuffer, number]>;
    after?: () => Promise<E>;
    trace?: GPUBuffer;
  }>,
) {
  return runAndRead(
    gpu,
    label,
    async (scope) => {
      const plan = await build(scope);
      const after = async () => ({
        ...(plan.after ? await plan.after() : ({} as E)),
        trace: opts.trace && plan.trace ? await readTrace(gpu, plan.trace, LA_TRACE) : null,
      });
      return { dispatches: plan.dispatches, read: plan.read, after };
    },
    opts.time,
  );
}

/**
 * A run of o and the final state (buffer, f32 count each) on laRunAndRead; `finish` maps them to the
 * result (withNormalize's, dropping the normalize column).
 */
export async function laRun(
  gpu: Gpu,
  label: string,
  opts: { trace?: boolean; time?: boolean },
  build: (scope: BufferScope) => Promise<{
    dispatches: Dispatch[];
    o: [GPUBuffer, number];
    finalState: [GPUBuffer, number];
    trace?: GPUBuffer;
  }>,
  finish = (o: Float32Array, finalState: Float32Array) => ({ o, finalState }),
): Promise<LaRun> {
  const r = await laRunAndRead(gpu, label, opts, async (scope) => {
    const { dispatches, o, finalState, trace } = await build(scope);
    return { dispatches, read: { o, finalState }, trace };
  });
  return { ...finish(r.o, r.finalState), gpuMs: r.gpuMs, trace: r.trace, dispatches: r.dispatches };
}

/** A run as a Program result: o and the final state. */
export function laResult(r: LaRun) {
  const { o, finalState, gpuMs, trace, dispatches } = r;
  return { outputs: { o, finalState }, gpuMs, trace, dispatches };
}

/** A program of the family whose outputs are o and the final state; `gpu` is its *Gpu. */
export function laProgram<P, I>(spec: {
  id: string;
  title: string;
  makeInputs(p: P, seed: number): I;
  reference(p: P, x: I): LaOutputsHost;
  gpu(gpu: Gpu, p: P, x: I, opts: RunOptions): Promise<LaRun>;
}): Program<P, I, LaOutputsHost> {
  const { gpu, ...rest } = spec;
  return { ...rest, run: async (g, p, x, opts = {}) => laResult(await gpu(g, p, x, opts)), tolerance: 1e-4 };
}

export interface LaParams extends LaShape {
  /** Scale s; K^-0.5 when absent. */
  scale?: number;
  normalize?: boolean;
  /** Start from a seeded S0 instead of zeros. */
  withInitialState?: boolean;
}
export interface LaInputsF32 extends LaQkv {
  initialState: Float32Array | null; // (B, H, K, V)
}
export type LaOutputsHost = { o: Float32Array | Float64Array; finalState: Float32Array | Float64Array };

/** Seeded q, k, v (and S0), shared by the linear-attention programs. */
export function makeLaInputs(p: LaParams, seed: number): LaInputsF32 {
  const rng = new Rng(seed);
  const { B, T, H, K, V } = p;
  return {
    q: rng.normals(B * T * H * K),
    k: rng.normals(B * T * H * K),
    v: rng.normals(B * T * H * V),
    initialState: p.withInitialState ? rng.normals(B * H * K * V) : null,
  };
}

const isDim = (n: number) => Number.isInteger(n) && n >= 1;

/** Throws a clear EngineError for bad sizes or arrays of the wrong length; changes nothing. */
export function validateLa(label: string, p: LaShape, x: LaGpuInputs): void {
  for (const key of ['B', 'T', 'H', 'K', 'V'] as const) {
    if (!isDim(p[key])) throw new EngineError(label, `${key} must be a positive integer, got ${p[key]}`);
  }
  const { B, T, H, K, V } = p;
  const want: Array<[string, ArrayLike<number> | null | undefined, number]> = [
    ['q', x.q, B * T * H * K],
    ['k', x.k, B * T * H * K],
    ['v', x.v, B * T * H * V],
    ['g', x.g, B * T * H],
    ['gk', x.gk, B * T * H * K],
    ['initial_state', x.initialState, B * H * K * V],
  ];
  for (const [name, arr, n] of want) {
    if (arr && arr.length !== n) {
      throw new EngineError(
        label,
        `${name} has ${arr.length} values, want ${n} for B=${B} T=${T} H=${H} K=${K} V=${V}`,
      );
    }
  }
  if (x.g && x.gk) throw new EngineError(label, 'pass either g (simple GLA) or gk (GLA), not both');
}

export function scaleFor(p: LaShape, scale?: number): number {
  const s = scale ?? defaultScale(p.K);
  if (!Number.isFinite(s)) throw new EngineError('linearAttention', `scale must be finite, got ${s}`);
  return s;
}

/** 0: no decay, 1: scalar g per (t, h), 2: vector gk over K. */
export function gateKind(x: LaGpuInputs): 0 | 1 | 2 {
  return x.gk ? 2 : x.g ? 1 : 0;
}

export interface QkvBuffers {
  q: GPUBuffer; // (B, T, H, K)
  k: GPUBuffer; // (B, T, H, K)
  v: GPUBuffer; // (B, T, H, V)
}

/** q, k, v (B, T, H, ·) on the device. */
export function uploadQkv(scope: BufferScope, x: LaQkv): QkvBuffers {
  return { q: scope.upload('q', x.q), k: scope.upload('k', x.k), v: scope.upload('v', x.v) };
}

/** The recurrence's plan (recurrent form and stepper): sizes, scale, and which gate is bound. */
export interface LaGatedPlan extends LaShape {
  scale: number;
  /** 0: none, 1: scalar g (B, T, H), 2: vector gk (B, T, H, K). */
  gate: 0 | 1 | 2;
}

export interface GatedBuffers extends QkvBuffers {
  gate: GPUBuffer; // g (B, T, H) or gk (B, T, H, K); a placeholder without a gate
}

/** q, k, v and the gate (g or gk, whichever is given) on the device. */
export function uploadGated(scope: BufferScope, x: LaGpuInputs): GatedBuffers {
  const gate = x.gk ?? x.g;
  return { ...uploadQkv(scope, x), gate: gate ? scope.upload('gate', gate) : placeholder(scope, 'gate') };
}

/** What every *Gpu does first: check sizes, settle the scale, and fold normalize into one more v column. */
export function prepareLa(label: string, shape: LaShape, inputs: LaGpuInputs, opts: LaGpuOptions) {
  validateLa(label, shape, inputs);
  const scale = scaleFor(shape, opts.scale);
  return { scale, ...withNormalize(shape, inputs, opts.normalize ?? false) };
}

/**
 * normalize as one more value column: v' = [v, 1], S0' = [S0, 0]; the extra output column is then the
 * denominator s q_t · Σ_{s≤t} k_s. `finish` divides and drops the column again.
 */
export function withNormalize(p: LaShape, x: LaGpuInputs, normalize: boolean) {
  if (!normalize) {
    return { p, x, finish: (o: Float32Array, s: Float32Array) => ({ o, finalState: s }) };
  }
  const { B, T, H, K, V } = p;
  const V1 = V + 1;
  const v = new Float32Array(B * T * H * V1);
  for (let r = 0; r < B * T * H; r++) {
    v.set(x.v.subarray(r * V, (r + 1) * V), r * V1);
    v[r * V1 + V] = 1;
  }
  let s0: Float32Array | null = null;
  if (x.initialState) {
    s0 = new Float32Array(B * H * K * V1);
    for (let r = 0; r < B * H * K; r++) s0.set(x.initialState.subarray(r * V, (r + 1) * V), r * V1);
  }
  const finish = (o1: Float32Array, s1: Float32Array) => {
    const o = new Float32Array(B * T * H * V);
    for (let r = 0; r < B * T * H; r++) {
      const den = o1[r * V1 + V] + 1e-10;
      for (let j = 0; j < V; j++) o[r * V + j] = o1[r * V1 + j] / den;
    }
    const finalState = new Float32Array(B * H * K * V);
    for (let r = 0; r < B * H * K; r++) finalState.set(s1.subarray(r * V1, r * V1 + V), r * V);
    return { o, finalState };
  };
  return { p: { ...p, V: V1 }, x: { ...x, v, initialState: s0 }, finish };
}

/** The LaParams fields beyond the shape; those a kernel does not read are written as 0. */
export type LaFields = Partial<
  Record<'scale' | 'C' | 'NC' | 'nVT' | 'tiles' | 'headMajor' | 'hasS0' | 't' | 'perHead', number>
> & { count: number };

/** The family's one uniform, LaParams, for kernel `k`: the shape, then the fields this kernel reads. */
function laUniform(scope: BufferScope, k: Kernel, p: LaShape, f: LaFields): Uniform {
  const { B, T, H, K, V } = p;
  const none = { scale: 0, C: 0, NC: 0, nVT: 0, tiles: 0, headMajor: 0, hasS0: 0, t: 0, perHead: 1 };
  return uniformFor(scope, k, { B, T, H, K, V, ...none, ...f });
}

/**
 * A dispatch of `k` over `perHead` workgroups for each of the B·H heads, folded past the per-dimension
 * limit (laTile() in laCommon.wgsl unfolds it), with LaParams bound as `p`.
 */
export function headDispatch(
  scope: BufferScope,
  k: Kernel,
  p: LaShape,
  perHead: number,
  fields: Omit<LaFields, 'perHead' | 'count'>,
  bindings: Readonly<Record<string, GPUBuffer>>,
): Dispatch & { params: Uniform } {
  const { workgroups, count } = gridFor(scope.gpu, k.label, p.B * p.H * perHead);
  const params = laUniform(scope, k, p, { ...fields, perHead, count });
  return { kernel: k, bindings: { p: params.buffer, ...bindings }, workgroups, params };
}

/** A 16-byte stand-in for a binding the kernel's variant never reads (no gate, no S0, no attn). */
export const placeholder = (scope: BufferScope, name: string) => scope.storage(name, 4);

/** Square tiles BR = BC for the quadratic kernel, the largest that fits 16 KiB of workgroup memory. */
export function quadraticTiles(label: string, K: number, V: number) {
  for (const t of [16, 8, 4, 2, 1]) {
    const bytes = (t * K + t * K + t * V + t * t + 4 * t + 1) * 4;
    if (bytes <= 16384) {
      const prelude = `const KP: u32 = ${K}u;\nconst VP: u32 = ${V}u;\nconst BR: u32 = ${t}u;\nconst BC: u32 = ${t}u;\nconst NACC: u32 = ${Math.ceil((t * V) / WG)}u;\n`;
      return { BR: t, BC: t, prelude };
    }
  }
  throw new EngineError(label, `K = ${K} and V = ${V} do not fit 16 KiB of workgroup memory`);
}

export interface GateCumsumBuffers {
  g: GPUBuffer; // (B, T, H); vec: (B, H, T, K) head-first (RWKV-6's w)
  gHi: GPUBuffer; // (B, H, T) G restarted at every chunk start, high part; vec: (B, H, T, K)
  gLo: GPUBuffer; // (B, H, T) low part; vec: (B, H, T, K)
}

/**
 * G_t = Σ g_j from the chunk start, per (b, h, chunk), as hi + lo, written into gHi and gLo; with `vec`, a
 * log-decay vector over K in the head-first layout, per (b, h, chunk, i).
 */
export async function gateCumsumDispatch(
  gpu: Gpu,
  scope: BufferScope,
  p: LaShape,
  C: number,
  b: GateCumsumBuffers,
  vec = false,
): Promise<Dispatch> {
  const k = await kernel(gpu, {
    label: 'linearAttention.gateCumsum',
    sources: [...LA_SOURCES, 'linearAttention/gateCumsum.wgsl'],
    constants: { WG, VEC: vec ? 1 : 0 },
  });
  const NC = Math.ceil(p.T / C);
  const count = p.B * p.H * NC * (vec ? p.K : 1);
  const grid = gridForInvocations(gpu, k.label, count, WG);
  const params = laUniform(scope, k, p, { C, NC, count, headMajor: vec ? 1 : 0 });
  return { kernel: k, bindings: { p: params.buffer, ...b }, workgroups: grid.workgroups };
}
