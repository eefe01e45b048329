// The linear-attention stepper: one recurrence step per dispatch (S_t = e^{g_t} S_{t−1} + k_t v_tᵀ, with an
// optional gate g or gk), reading back S_t (B,H,K,V) and o_t (B,H,V) after each. For the animated
// recurrent view at small sizes; the CPU backend steps the float64 recurrence when there is no GPU.

import type { Gpu } from '../../gpu/device';
import { type Dispatch, kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import type { Uniform } from '../../gpu/uniforms';
import type { LaShape } from '../../reference/linearAttention';
import { makeStepper, type Stepper } from '../program';
import type { GatedBuffers, LaGatedPlan, LaGpuInputs } from './common';
import { gateKind, headDispatch, LA_SOURCES, scaleFor, uploadGated, validateLa, WG } from './common';

export interface LinearAttentionStep {
  /** The step just taken, 0-based. */
  t: number;
  S: Float32Array; // (B, H, K, V) S_t
  o: Float32Array; // (B, H, V) o_t
}

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

function cpuStepper(p: LaShape, x: LaGpuInputs, scale: number): Stepper<LinearAttentionStep> {
  const { B, T, H, K, V } = p;
  const S = new Float64Array(B * H * K * V);
  const reset = () => {
    S.fill(0);
    if (x.initialState) S.set(x.initialState);
  };
  reset();
  return makeStepper('linearAttentionStepper', {
    backend: 'cpu',
    count: linearAttentionStepCount(p),
    advance(t) {
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
      return { t, S: Float32Array.from(S), o };
    },
    reset,
  });
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
  const s = scaleFor(p, scale);
  if (gpu?.status !== 'ok') return cpuStepper(p, x, s);
  const { B, H, K, V } = p;
  const scope = new BufferScope(gpu, label);
  try {
    const b: LaStepBuffers = {
      ...uploadGated(scope, x),
      S: scope.storage('S', B * H * K * V * 4),
      o: scope.storage('o', B * H * V * 4),
    };
    const reset = () =>
      gpu.device.queue.writeBuffer(b.S, 0, x.initialState ?? new Float32Array(B * H * K * V));
    reset();
    const step = await laStepDispatch(gpu, scope, { ...p, scale: s, gate: gateKind(x), t: 0 }, b);
    return makeStepper(label, {
      backend: 'webgpu',
      count: linearAttentionStepCount(p),
      async advance(t) {
        step.params.set({ t });
        await runDispatches(gpu, label, [step]);
        const S = await readF32(gpu, b.S, B * H * K * V);
        return { t, S, o: await readF32(gpu, b.o, B * H * V) };
      },
      reset,
      free: () => scope.release(),
    });
  } catch (err) {
    scope.release();
    throw err;
  }
}
