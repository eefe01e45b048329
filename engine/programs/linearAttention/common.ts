// Host-side pieces shared by the linear-attention GPU programs: shapes, input validation, the
// normalize option (a column of ones appended to v gives the denominator) and the gate kind.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import type { LaShape } from '../../reference/linearAttention';
import { defaultScale } from '../../reference/linearAttention';

export interface LaGpuInputs {
  q: Float32Array; // (B, T, H, K)
  k: Float32Array; // (B, T, H, K)
  v: Float32Array; // (B, T, H, V)
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

export interface LaGpuResult {
  o: Float32Array; // (B, T, H, V)
  finalState: Float32Array; // (B, H, K, V)
  gpuMs: number | null;
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

/** Refuses a grid wider than the device allows, with a clear message. */
export function checkGrid(label: string, x: number, max: number): void {
  if (x > max) throw new EngineError(label, `needs ${x} workgroups along x; the device allows ${max}`);
}

/** Tensor ids used by the linear-attention kernels' trace events. */
export const LA_TRACE_TENSORS = ['q', 'k', 'v', 'gate', 'states', 'o', 'final_state', 's0'] as const;

/** Square tiles BR = BC for the quadratic kernel, the largest that fits 16 KiB of workgroup memory. */
export function quadraticTiles(label: string, K: number, V: number, WG: number) {
  for (const t of [16, 8, 4, 2, 1]) {
    const bytes = (t * K + t * K + t * V + t * t + 4 * t + 1) * 4;
    if (bytes <= 16384) {
      const prelude = `const KP: u32 = ${K}u;\nconst VP: u32 = ${V}u;\nconst BR: u32 = ${t}u;\nconst BC: u32 = ${t}u;\nconst NACC: u32 = ${Math.ceil((t * V) / WG)}u;\n`;
      return { BR: t, BC: t, prelude };
    }
  }
  throw new EngineError(label, `K = ${K} and V = ${V} do not fit 16 KiB of workgroup memory`);
}

export async function gateCumsum(
  gpu: Gpu,
  scope: BufferScope,
  p: LaShape,
  g: Float32Array,
  C: number,
): Promise<{ dispatch: Dispatch; gHi: GPUBuffer; gLo: GPUBuffer }> {
  const WG = 64;
  const NC = Math.ceil(p.T / C);
  const k = await kernel(gpu, {
    label: 'linearAttention.gateCumsum',
    sources: ['linearAttention/gateCumsum.wgsl'],
    constants: { WG },
  });
  const gHi = scope.storage('gHi', p.B * p.H * p.T * 4);
  const gLo = scope.storage('gLo', p.B * p.H * p.T * 4);
  const groups = Math.ceil((p.B * p.H * NC) / WG);
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  const x = Math.min(groups, max);
  const dispatch: Dispatch = {
    kernel: k,
    bindings: [
      scope.uniform('gateParams', [
        ['u32', p.B],
        ['u32', p.T],
        ['u32', p.H],
        ['u32', C],
        ['u32', NC],
      ]),
      scope.upload('g', g),
      gHi,
      gLo,
    ],
    workgroups: [x, Math.ceil(groups / x)],
  };
  return { dispatch, gHi, gLo };
}
