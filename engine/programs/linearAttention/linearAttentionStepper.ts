// The linear-attention stepper: one recurrence step per dispatch (S_t = e^{g_t} S_{t−1} + k_t v_tᵀ, with an
// optional gate g or gk), reading back S_t (B,H,K,V) and o_t (B,H,V) after each. For the animated
// recurrent view at small sizes; the CPU backend steps the float64 recurrence when there is no GPU.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import type { LaShape } from '../../reference/linearAttention';
import { gateKind, type LaGpuInputs, scaleFor, validateLa } from './common';

export interface LinearAttentionStep {
  /** The step just taken, 0-based. */
  t: number;
  S: Float32Array; // (B, H, K, V) S_t
  o: Float32Array; // (B, H, V) o_t
}

export interface LinearAttentionStepper {
  readonly backend: 'webgpu' | 'cpu';
  readonly T: number;
  /** Steps taken so far (0 before the first step). */
  readonly t: number;
  /** Advances one time step and reads back S_t and o_t. Throws past T. */
  step(): Promise<LinearAttentionStep>;
  /** Back to S_{−1} = S0 (or zeros). */
  reset(): void;
  dispose(): void;
}

const WG = 64;

function cpuStepper(p: LaShape, x: LaGpuInputs, scale: number): LinearAttentionStepper {
  const { B, T, H, K, V } = p;
  const S = new Float64Array(B * H * K * V);
  let t = 0;
  const reset = () => {
    t = 0;
    S.fill(0);
    if (x.initialState) S.set(x.initialState);
  };
  reset();
  return {
    backend: 'cpu',
    T,
    get t() {
      return t;
    },
    async step() {
      if (t >= T) throw new EngineError('linearAttentionStepper', `already at the last step (T = ${T})`);
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
      return { t: t++, S: Float32Array.from(S), o };
    },
    reset,
    dispose() {},
  };
}

/** A stepper on the GPU when `gpu` is usable, else on the CPU. Scale defaults to K^-0.5. */
export async function createLinearAttentionStepper(
  gpu: Gpu | null,
  p: LaShape,
  x: LaGpuInputs,
  scale?: number,
): Promise<LinearAttentionStepper> {
  const label = 'linearAttentionStepper';
  validateLa(label, p, x);
  const s = scaleFor(p, scale);
  if (gpu?.status !== 'ok') return cpuStepper(p, x, s);
  const { B, T, H, K, V } = p;
  const k = await kernel(gpu, {
    label: `${label}.step`,
    sources: ['linearAttention/linearAttentionStepper.wgsl'],
    constants: { WG, GATE: gateKind(x) },
  });
  const scope = new BufferScope(gpu, label);
  const fields = (t: number): Array<['u32' | 'f32', number]> => [
    ['u32', B],
    ['u32', T],
    ['u32', H],
    ['u32', K],
    ['u32', V],
    ['f32', s],
    ['u32', t],
  ];
  try {
    const state = scope.storage('S', B * H * K * V * 4);
    const o = scope.storage('o', B * H * V * 4);
    const inputs = [
      scope.upload('q', x.q),
      scope.upload('k', x.k),
      scope.upload('v', x.v),
      scope.upload('gate', x.gk ?? x.g ?? new Float32Array(1)),
    ];
    let t = 0;
    const reset = () => {
      t = 0;
      gpu.device.queue.writeBuffer(state, 0, x.initialState ?? new Float32Array(B * H * K * V));
    };
    reset();
    return {
      backend: 'webgpu',
      T,
      get t() {
        return t;
      },
      async step() {
        if (t >= T) throw new EngineError(label, `already at the last step (T = ${T})`);
        const stepScope = new BufferScope(gpu, `${label}.t${t}`);
        try {
          const params = stepScope.uniform('params', fields(t));
          await runDispatches(gpu, label, [
            { kernel: k, bindings: [params, ...inputs, state, o], workgroups: [Math.ceil(V / WG), H, B] },
          ]);
        } finally {
          stepScope.release();
        }
        const S = await readF32(gpu, state, B * H * K * V);
        return { t: t++, S, o: await readF32(gpu, o, B * H * V) };
      },
      reset,
      dispose: () => scope.release(),
    };
  } catch (err) {
    scope.release();
    throw err;
  }
}
