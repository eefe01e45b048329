// The RWKV-6 stepper: the recurrent kernel over one step per dispatch (its uniform's t and C), the state
// kept in place in S between steps, reading back o_t (B, H, V) and S_t (B, H, K, V) after each. For the
// `linear` stage's animation at small sizes; the CPU backend steps the float64 recurrence without a GPU.

import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import type { Rwkv6Shape } from '../../reference/rwkv6';
import { traceBuffer } from '../../trace/events';
import { makeStepper, type Stepper } from '../program';
import { scaleFor } from './common';
import {
  type Rwkv6GpuInputs,
  type Rwkv6RecurrentBuffers,
  rwkv6RecurrentDispatch,
  uploadRwkv6,
  validateRwkv6,
} from './rwkv6Recurrent';

export interface Rwkv6Step {
  /** The step just taken, 0-based. */
  t: number;
  o: Float32Array; // (B, H, V) o_t, read from the state before step t's update
  S: Float32Array; // (B, H, K, V) the state after step t
}

/** Steps in all: one per time step. */
export const rwkv6StepCount = (p: { T: number }): number => p.T;

/** o_t (B, H, V) out of o (B, H, T, V). */
function column(o: ArrayLike<number>, p: Rwkv6Shape, t: number): Float32Array {
  const { B, H, T, V } = p;
  const out = new Float32Array(B * H * V);
  for (let bh = 0; bh < B * H; bh++) for (let j = 0; j < V; j++) out[bh * V + j] = o[(bh * T + t) * V + j];
  return out;
}

function cpuStepper(p: Rwkv6Shape, x: Rwkv6GpuInputs, scale: number): Stepper<Rwkv6Step> {
  const { B, H, T, K, V } = p;
  const S = new Float64Array(B * H * K * V);
  const reset = () => {
    S.fill(0);
    if (x.initialState) S.set(x.initialState);
  };
  reset();
  return makeStepper('rwkv6Stepper', {
    backend: 'cpu',
    count: rwkv6StepCount(p),
    advance(t) {
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
      return { t, o, S: Float32Array.from(S) };
    },
    reset,
  });
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
  const s = scaleFor(p, scale);
  if (gpu?.status !== 'ok') return cpuStepper(p, x, s);
  const { B, H, T, K, V } = p;
  const scope = new BufferScope(gpu, label);
  try {
    const b: Rwkv6RecurrentBuffers = {
      ...uploadRwkv6(scope, x),
      S: scope.storage('S', B * H * K * V * 4),
      o: scope.storage('o', B * H * T * V * 4),
      trace: traceBuffer(scope, 1),
    };
    const reset = () =>
      gpu.device.queue.writeBuffer(b.S, 0, x.initialState ?? new Float32Array(B * H * K * V));
    reset();
    const plan = { ...p, scale: s, hasS0: true, trace: false, t: 0, steps: 1 };
    const step = await rwkv6RecurrentDispatch(gpu, scope, plan, b);
    return makeStepper(label, {
      backend: 'webgpu',
      count: rwkv6StepCount(p),
      async advance(t) {
        step.params.set({ t });
        await runDispatches(gpu, label, [step]);
        const S = await readF32(gpu, b.S, B * H * K * V);
        return { t, o: column(await readF32(gpu, b.o, B * H * T * V), p, t), S };
      },
      reset,
      free: () => scope.release(),
    });
  } catch (err) {
    scope.release();
    throw err;
  }
}
