// The linear-attention stepper: one recurrence step per dispatch (S_t = e^{g_t} S_{t−1} + k_t v_tᵀ, with an
// optional gate g or gk), reading back S_t (B,H,K,V) and o_t (B,H,V) after each. For the animated
// recurrent view at small sizes; the CPU backend steps the float64 recurrence when there is no GPU.

import type { Gpu } from '../../gpu/device';
import { type Dispatch, kernel } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import type { Uniform } from '../../gpu/uniforms';
import type { LaShape } from '../../reference/linearAttention';
import type { Stepper } from '../program';
import type { GatedBuffers, LaGatedPlan, LaGpuInputs } from './common';
import { gateKind, headDispatch, LA_SOURCES, uploadGated, validateLa, WG } from './common';
import { type StateStep, stateStepper } from './stateStepper';

/** S_t (B, H, K, V) and o_t (B, H, V) after step t. */
export type LinearAttentionStep = StateStep;

/** Steps in all: one per time step. */
export const linearAttentionStepCount = (p: { T: number }): number => p.T;

export interface LaStepPlan extends LaGatedPlan {
  /** The step to run; change it per step with `params.set({ t })`. */
  t: number;
}

export interface LaStepBuffers extends GatedBuffers {
  S: GPUBuffer; // (B, H, K, V) S_{t−1} in, S_t out
  o: GPUBuffer; // (B, H, V) o_t
}

/** One step on given buffers: one workgroup per (b, h, tile of WG state columns). */
export async function laStepDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: LaStepPlan,
  b: LaStepBuffers,
): Promise<Dispatch & { params: Uniform }> {
  const k = await kernel(gpu, {
    label: 'linearAttentionStepper.step',
    sources: [...LA_SOURCES, 'linearAttention/linearAttentionStepper.wgsl'],
    constants: { WG, GATE: plan.gate },
  });
  return headDispatch(scope, k, plan, Math.ceil(plan.V / WG), { scale: plan.scale, t: plan.t }, { ...b });
}

/** Step t of the float64 recurrence: S advanced in place, o_t (B, H, V) returned. */
function cpuStep(p: LaShape, x: LaGpuInputs, scale: number, S: Float64Array, t: number): Float32Array {
  const { B, T, H, K, V } = p;
  const o = new Float32Array(B * H * V);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const r = (b * T + t) * H + h;
      const so = (b * H + h) * K * V;
      for (let j = 0; j < V; j++) {
        let acc = 0;
        for (let i = 0; i < K; i++) {
          const d = Math.exp((x.g ? x.g[r] : 0) + (x.gk ? x.gk[r * K + i] : 0));
          S[so + i * V + j] = d * S[so + i * V + j] + x.k[r * K + i] * x.v[r * V + j];
          acc += x.q[r * K + i] * S[so + i * V + j];
        }
        o[(b * H + h) * V + j] = scale * acc;
      }
    }
  return o;
}

/** A stepper on the GPU when `gpu` is usable, else on the CPU. Scale defaults to K^-0.5. */
export async function createLinearAttentionStepper(
  gpu: Gpu | null,
  p: LaShape,
  x: LaGpuInputs,
  scale?: number,
): Promise<Stepper<LinearAttentionStep>> {
  const label = 'linearAttentionStepper';
  validateLa(label, p, x);
  const n = p.B * p.H * p.V; // o_t (B, H, V)
  return stateStepper(gpu, label, { ...p, scale }, linearAttentionStepCount(p), x.initialState, {
    cpu: (S, t, s) => cpuStep(p, x, s, S, t),
    async gpu(g, scope, S, s) {
      const b: LaStepBuffers = { ...uploadGated(scope, x), S, o: scope.storage('o', n * 4) };
      const step = await laStepDispatch(g, scope, { ...p, scale: s, gate: gateKind(x), t: 0 }, b);
      return { step, readO: () => readF32(g, b.o, n) };
    },
  });
}
