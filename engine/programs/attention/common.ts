// Shared pieces of the attention programs: params and inputs, validation, the trace table, the values of
// the one uniform struct every attention kernel reads (shaders/attention/attentionCommon.wgsl), the kernel
// spec they share, the *Gpu skeleton (upload, dispatch, read back), and the tile chooser that keeps
// FlashAttention within the workgroup-memory budget.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, type Kernel, kernel } from '../../gpu/kernel';
import { runAndRead } from '../../gpu/run';
import type { BufferScope } from '../../gpu/tensor';
import type { UniformValues } from '../../gpu/uniforms';
import { type AttnShape, checkShape, resolveScale, softmaxAttention } from '../../reference/attention';
import { readTrace, traceBuffer } from '../../trace/events';
import { traceTable } from '../../trace/tensors';
import { Rng } from '../../util/rng';
import type { Host, Program, RunOptions, RunResult } from '../program';

export interface AttentionParams extends AttnShape {
  causal: boolean;
  /** Softmax scale; absent (or within 1e-6 of it) means exactly 1/sqrt(d). */
  scale?: number;
}
export interface AttentionInputs {
  q: Float32Array; // (b, sq, h, d)
  k: Float32Array; // (b, sk, h_k, d)
  v: Float32Array; // (b, sk, h_k, d)
}
export type AttentionOutputs = {
  out: Host; // (b, sq, h, d)
  lse: Host; // (b, h, sq)
};

/**
 * Trace table shared by the attention kernels: the tensors (T_Q … in the WGSL; compute events use
 * NO_TENSOR) and the compute phases (PHASE_SCORES …, the aux of compute events): FlashAttention's
 * forward, then the backward's (P recomputed from Q, K and lse; dV; dS; dK; dQ; delta).
 */
export const ATTENTION_TRACE = traceTable(
  ['q', 'k', 'v', 'o', 'lse', 'S', 'P', 'partials', 'dout', 'delta', 'dq', 'dk', 'dv', 'dS'],
  ['scores', 'rescale', 'pv', 'skip', 'normalise', 'recompute P', 'dV', 'dS', 'dK', 'dQ', 'delta'],
);

/** The portable workgroup-memory budget (the WebGPU default limit). */
export const WG_MEMORY_BUDGET = 16384;

export function makeAttentionInputs(p: AttnShape, seed: number): AttentionInputs {
  const rng = new Rng(seed);
  return {
    q: rng.normals(p.b * p.sq * p.h * p.d),
    k: rng.normals(p.b * p.sk * p.hk * p.d),
    v: rng.normals(p.b * p.sk * p.hk * p.d),
  };
}

/**
 * A forward program whose truth is exact softmax attention (reference/attention.ts): the family's seeded
 * inputs, the float64 reference on validated params, and the given GPU run and tolerance.
 */
export function softmaxProgram<P extends AttentionParams>(o: {
  id: string;
  title: string;
  run: Program<P, AttentionInputs, AttentionOutputs>['run'];
  tolerance: number;
}): Program<P, AttentionInputs, AttentionOutputs> {
  return {
    ...o,
    makeInputs: makeAttentionInputs,
    reference: (p, x) => softmaxAttention(x.q, x.k, x.v, p, p.causal, validateAttention(o.id, p, x)),
  };
}

/** The softmax scale, after checking the sizes (positive integers, h a multiple of h_k). */
export function attentionScale(label: string, p: AttentionParams): number {
  return validateLengths(label, p, attentionSizes(p));
}

/** Throws a clear EngineError (before anything is allocated) when params and inputs disagree. */
export function validateAttention(label: string, p: AttentionParams, x: AttentionInputs): number {
  return validateLengths(label, p, { q: x.q.length, k: x.k.length, v: x.v.length });
}

function validateLengths(label: string, p: AttentionParams, lens: { q: number; k: number; v: number }) {
  try {
    checkShape(p, lens);
  } catch (err) {
    throw new EngineError(label, err instanceof Error ? err.message : String(err));
  }
  const scale = resolveScale(p.d, p.scale);
  if (!Number.isFinite(scale)) throw new EngineError(label, `softmax scale ${p.scale} is not finite`);
  return scale;
}

/** Values (f32) of the family's tensors: q, o (b, sq, h, d), k, v (b, sk, h_k, d), lse (b, h, sq). */
export function attentionSizes(p: AttnShape) {
  const kv = p.b * p.sk * p.hk * p.d;
  const qs = p.b * p.sq * p.h * p.d;
  const rows = p.b * p.h * p.sq;
  // the backward's: dout, dq like q; dk, dv like k; delta like lse
  return { q: qs, k: kv, v: kv, o: qs, lse: rows, dout: qs, dq: qs, dk: kv, dv: kv, delta: rows };
}

/**
 * Before a dispatch is built on given buffers: checks the sizes and the scale, and refuses a buffer
 * smaller than its tensor (the family's tensors by name, sizes from `p`; any other as `[buffer, values]`;
 * the trace is not checked). Returns the softmax scale.
 */
export function checkDispatch(label: string, p: AttentionParams, b: object): number {
  const scale = attentionScale(label, p);
  const sizes: Record<string, number> = attentionSizes(p);
  for (const [name, given] of Object.entries(b) as [string, GPUBuffer | [GPUBuffer, number]][]) {
    const [buf, n] = Array.isArray(given) ? given : [given, sizes[name]];
    if (n !== undefined && buf.size < n * 4)
      throw new EngineError(label, `buffer '${name}' has ${buf.size} bytes, needs ${n * 4} (${n} f32)`);
  }
  return scale;
}

/** The buffers every attention program binds: q, k, v in, o and lse out, and the trace. */
export interface AttentionBuffers {
  q: GPUBuffer; // (b, sq, h, d)
  k: GPUBuffer; // (b, sk, h_k, d)
  v: GPUBuffer; // (b, sk, h_k, d)
  o: GPUBuffer; // (b, sq, h, d)
  lse: GPUBuffer; // (b, h, sq)
  trace: GPUBuffer;
}

/** Uploads q, k, v; allocates o, lse and a trace with room for `traceEvents` (a placeholder when 0). */
export function attentionBuffers(
  scope: BufferScope,
  p: AttnShape,
  x: AttentionInputs,
  traceEvents: number,
): AttentionBuffers {
  const n = attentionSizes(p);
  return {
    q: scope.upload('q', x.q),
    k: scope.upload('k', x.k),
    v: scope.upload('v', x.v),
    // Zeroed from the host: Dawn would otherwise clear them inside the first (timed) pass that writes them.
    o: scope.zeroed('out', n.o * 4),
    lse: scope.zeroed('lse', n.lse * 4),
    trace: traceBuffer(scope, Math.max(1, traceEvents)),
  };
}

/** What a *Gpu builds in its scope: the dispatches, the outputs to read back (buffer, f32 count), the trace. */
export interface AttentionRunPlan<K extends string> {
  dispatches: Dispatch[];
  read: Record<K, [GPUBuffer, number]>;
  trace: GPUBuffer;
}

/**
 * Builds the plan in a fresh scope, runs it in one submission, reads back its outputs and (when asked) the
 * trace, and frees every buffer whatever happens (runAndRead, engine/gpu/run.ts).
 */
export async function runAttention<K extends string>(
  gpu: Gpu,
  label: string,
  opts: RunOptions,
  build: (scope: BufferScope) => Promise<AttentionRunPlan<K>>,
): Promise<RunResult<Record<K, Float32Array>>> {
  const { gpuMs, dispatches, trace, ...outputs } = await runAndRead(
    gpu,
    label,
    async (scope) => {
      const plan = await build(scope);
      const after = async () => ({
        trace: opts.trace ? await readTrace(gpu, plan.trace, ATTENTION_TRACE) : null,
      });
      return { dispatches: plan.dispatches, read: plan.read, after };
    },
    opts.time,
  );
  // What is left are the outputs read back (K never names gpuMs, dispatches or trace).
  return { outputs: outputs as unknown as Record<K, Float32Array>, gpuMs, trace, dispatches };
}

/**
 * A forward program's *Gpu on checked params and inputs: uploads q, k, v with o, lse and a trace of
 * `traceEvents` records (when traced), builds the dispatches on them (and any more buffers the builder
 * makes and names in `read`), runs them and reads O, lse (and those) back.
 */
export function forwardGpu<K extends string = never>(
  gpu: Gpu,
  label: string,
  p: AttnShape,
  x: AttentionInputs,
  opts: RunOptions & { traceEvents: number },
  build: (
    scope: BufferScope,
    b: AttentionBuffers,
  ) => Promise<{ dispatches: Dispatch[]; read?: Record<K, [GPUBuffer, number]> }>,
): Promise<RunResult<Record<'out' | 'lse' | K, Float32Array>>> {
  const n = attentionSizes(p);
  return runAttention(gpu, label, opts, async (scope) => {
    const b = attentionBuffers(scope, p, x, opts.trace ? opts.traceEvents : 0);
    const { dispatches, read } = await build(scope, b);
    const fwd = { out: [b.o, n.o], lse: [b.lse, n.lse] } satisfies Record<string, [GPUBuffer, number]>;
    return {
      dispatches,
      read: { ...fwd, ...read } as Record<'out' | 'lse' | K, [GPUBuffer, number]>,
      trace: b.trace,
    };
  });
}

/** What a dispatch sets of the uniform beyond the problem's shape (attentionCommon.wgsl says which kernel reads what). */
export interface AttentionUniformFields {
  count?: number;
  tr?: number;
  bi?: number;
  hh?: number;
  i0?: number;
  rows?: number;
  t?: number;
  first?: number;
  splits?: number;
  splitLen?: number;
  wg0?: number;
}

/** +inf's f32 bits: the uniform holds them as u32 (WGSL has no infinity literal). */
const INF_BITS = 0x7f800000;

/** The values of AttentionParams (attentionCommon.wgsl) for every attention kernel: shape, then `f`, 0 elsewhere. */
export function attentionUniformValues(
  p: AttentionParams,
  scale: number,
  f: AttentionUniformFields = {},
): UniformValues {
  return {
    b: p.b,
    sq: p.sq,
    sk: p.sk,
    h: p.h,
    hk: p.hk,
    d: p.d,
    causal: p.causal ? 1 : 0,
    scale,
    infBits: INF_BITS,
    count: 0,
    tr: 0,
    bi: 0,
    hh: 0,
    i0: 0,
    rows: 0,
    t: 0,
    first: 0,
    splits: 0,
    splitLen: 0,
    wg0: 0,
    ...f,
  };
}

/** An attention kernel: trace, grid and the family's common WGSL before `files` (under shaders/attention/). */
export function attentionKernel(
  gpu: Gpu,
  label: string,
  files: string[],
  opts: {
    prelude?: string;
    constants?: Record<string, number>;
    trace?: boolean;
    enable?: readonly string[];
    diagnosticsOff?: readonly string[];
  } = {},
): Promise<Kernel> {
  return kernel(gpu, {
    label,
    enable: opts.enable,
    diagnosticsOff: opts.diagnosticsOff,
    sources: [
      'common/trace.wgsl',
      'common/grid.wgsl',
      'attention/attentionCommon.wgsl',
      ...files.map((f) => (f.startsWith('common/') ? f : `attention/${f}`)),
    ],
    prelude: opts.prelude,
    constants: { ...opts.constants, TRACE: opts.trace ? 1 : 0 },
    trace: ATTENTION_TRACE,
  });
}

/** Workgroup bytes of attention/flashTile.wgsl: Qs, Ks (rows padded by 1), Vs, Ss (padded), m, l, alpha. */
export function flashTileBytes(d: number, Br: number, Bc: number): number {
  return 4 * (d * (Br + 2 * Bc) + Bc + Br * (Bc + 1) + 3 * Br) + 16;
}

/**
 * The tiles FlashAttention actually uses: the requested Br×Bc, halved (larger side first) until
 * Qs, Ks, Vs, S and the row statistics (or what `tileBytes` counts: the backward's tiles) fit the budget. With d = 64 and 16 KiB, 64×64 and 32×32
 * become 16×16 (13.3 KiB); d = 128 gives 8×8.
 */
export function chooseFlashTiles(
  label: string,
  d: number,
  Br: number,
  Bc: number,
  budget = WG_MEMORY_BUDGET,
  tileBytes: (d: number, Br: number, Bc: number) => number = flashTileBytes,
): { Br: number; Bc: number; bytes: number } {
  if (!Number.isInteger(Br) || !Number.isInteger(Bc) || Br < 1 || Bc < 1) {
    throw new EngineError(label, `Br and Bc must be positive integers, got Br=${Br}, Bc=${Bc}`);
  }
  let br = Br;
  let bc = Bc;
  while (tileBytes(d, br, bc) > budget) {
    if (br === 1 && bc === 1) {
      throw new EngineError(label, `head dim d=${d} does not fit ${budget} bytes of workgroup memory`);
    }
    if (br >= bc && br > 1) br = Math.ceil(br / 2);
    else bc = Math.ceil(bc / 2);
  }
  return { Br: br, Bc: bc, bytes: tileBytes(d, br, bc) };
}

/**
 * The workgroup memory the tiles of a batched run may use: the device's own limit (48 KiB on an H200, 32 KiB
 * on SwiftShader), so tiles grow where the hardware allows. The stepper keeps WG_MEMORY_BUDGET, so its
 * tiles (what the stage draws) are the same on every backend.
 */
export function workgroupBudget(gpu: Gpu): number {
  return gpu.limits.maxComputeWorkgroupStorageSize;
}

/** Invocations for a Br×Bc tile with head dim d: enough to cover O (Br, d), at most 256. */
export function flashWorkgroupSize(Br: number, d: number): number {
  return Math.min(256, Math.max(32, Math.ceil((Br * d) / 32) * 32));
}

/**
 * A FlashAttention kernel (forward, stepper, backward): tiles and workgroup as override constants, D and
 * OPT in the prelude for its register tile of `rows` × d (attention/registerTile.wgsl, before `files`).
 */
export function flashTileKernel(
  gpu: Gpu,
  label: string,
  files: string[],
  d: number,
  tiles: { Br: number; Bc: number; rows?: number },
  trace = false,
) {
  const { Br, Bc, rows = Br } = tiles;
  const WG = flashWorkgroupSize(rows, d);
  const OPT = Math.ceil((rows * d) / WG);
  return attentionKernel(gpu, label, ['registerTile.wgsl', ...files], {
    prelude: `const D: u32 = ${d}u;\nconst OPT: u32 = ${OPT}u;\n`,
    constants: { BR: Br, BC: Bc, WG },
    trace,
  });
}
