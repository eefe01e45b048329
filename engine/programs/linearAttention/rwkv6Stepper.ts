// The RWKV-6 stepper: the recurrent kernel over one step per dispatch (its uniform's t and C), the state
// kept in place in S between steps, reading back o_t (B, H, V) and S_t (B, H, K, V) after each. For the
// `linear` stage's animation at small sizes; the CPU backend steps the float64 recurrence without a GPU.

import type { Gpu } from '../../gpu/device';
import { readF32 } from '../../gpu/tensor';
import type { Rwkv6Shape } from '../../reference/rwkv6';
import { traceBuffer } from '../../trace/events';
import type { Stepper } from '../program';
import { type StateStep, stateStepper } from './stateStepper';
import {
  type Rwkv6GpuInputs,
  type Rwkv6RecurrentBuffers,
  rwkv6RecurrentDispatch,
  uploadRwkv6,
  validateRwkv6,
} from './rwkv6Recurrent';

/** o_t (B, H, V), read from the state before step t's update, and S_t (B, H, K, V), the state after it. */
export type Rwkv6Step = StateStep;

/** Steps in all: one per time step. */
export const rwkv6StepCount = (p: { T: number }): number => p.T;

/** o_t (B, H, V) out of o (B, H, T, V). */
function column(o: ArrayLike<number>, p: Rwkv6Shape, t: number): Float32Array {
  const { B, H, T, V } = p;
  const out = new Float32Array(B * H * V);
  for (let bh = 0; bh < B * H; bh++) for (let j = 0; j < V; j++) out[bh * V + j] = o[(bh * T + t) * V + j];
  return out;
}

/** Step t of the float64 recurrence: o_t (B, H, V) read out before S is updated in place. */
function cpuStep(p: Rwkv6Shape, x: Rwkv6GpuInputs, scale: number, S: Float64Array, t: number): Float32Array {
  const { B, H, T, K, V } = p;
  const o = new Float32Array(B * H * V);
  for (let bh = 0; bh < B * H; bh++) {
    const r = (bh * T + t) * K;
    const so = bh * K * V;
    for (let j = 0; j < V; j++) {
      const vt = x.v[(bh * T + t) * V + j];
      let acc = 0;
      for (let i = 0; i < K; i++) {
        const kv = x.k[r + i] * vt;
        acc += x.q[r + i] * (S[so + i * V + j] + x.u[(bh % H) * K + i] * kv);
        S[so + i * V + j] = Math.exp(x.w[r + i]) * S[so + i * V + j] + kv;
      }
      o[bh * V + j] = scale * acc;
    }
  }
  return o;
}

/** A stepper on the GPU when `gpu` is usable, else on the CPU. Scale defaults to K^-0.5. */
export async function createRwkv6Stepper(
  gpu: Gpu | null,
  p: Rwkv6Shape,
  x: Rwkv6GpuInputs,
  scale?: number,
): Promise<Stepper<Rwkv6Step>> {
  const label = 'rwkv6Stepper';
  validateRwkv6(label, p, x);
  const n = p.B * p.H * p.T * p.V; // o (B, H, T, V): the kernel writes o_t in place
  return stateStepper(gpu, label, { ...p, scale }, rwkv6StepCount(p), x.initialState, {
    cpu: (S, t, s) => cpuStep(p, x, s, S, t),
    async gpu(g, scope, S, s) {
      const o = scope.storage('o', n * 4);
      const b: Rwkv6RecurrentBuffers = { ...uploadRwkv6(scope, x), S, o, trace: traceBuffer(scope, 1) };
      const plan = { ...p, scale: s, hasS0: true, trace: false, t: 0, steps: 1 };
      const step = await rwkv6RecurrentDispatch(g, scope, plan, b);
      return { step, readO: async (t) => column(await readF32(g, o, n), p, t) };
    },
  });
}
