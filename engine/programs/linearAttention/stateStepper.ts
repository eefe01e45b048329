// The stepper skeleton both state recurrences of the family share (linear attention with its gates, and
// RWKV-6): a state S (B, H, K, V) from S0 or zeros, one step per advance, S_t and o_t (B, H, V) after each.
// On the GPU the state stays in its buffer between steps (one dispatch per step, its uniform's t set
// first); on the CPU it is stepped in float64. Counting, the end, reset and dispose are makeStepper's.

import type { Gpu } from '../../gpu/device';
import { type Dispatch, runDispatches } from '../../gpu/kernel';
import { type BufferScope, readF32 } from '../../gpu/tensor';
import { buildInScope } from '../../gpu/run';
import type { Uniform } from '../../gpu/uniforms';
import type { LaShape } from '../../reference/linearAttention';
import { makeStepper, type Stepper } from '../program';
import { scaleFor } from './common';

/** What a state stepper shows after step t. */
export interface StateStep {
  /** The step just taken, 0-based. */
  t: number;
  S: Float32Array; // (B, H, K, V) S_t
  o: Float32Array; // (B, H, V) o_t
}

/** The two forms of one recurrence with the scale s, the GPU one made in the stepper's scope. */
export interface StateStepperForms {
  /** Advances S (float64, in place) by step t and returns o_t. */
  cpu(S: Float64Array, t: number, s: number): Float32Array;
  /** The step's dispatch on the state buffer S (its uniform's t set per step) and how to read o_t back. */
  gpu(
    gpu: Gpu,
    scope: BufferScope,
    S: GPUBuffer,
    s: number,
  ): Promise<{ step: Dispatch & { params: Uniform }; readO(t: number): Promise<Float32Array> }>;
}

/**
 * A stepper of `count` steps on the GPU when `gpu` is usable, else on the CPU; S starts from s0 or zeros.
 * The scale s defaults to K^-0.5.
 */
export async function stateStepper(
  gpu: Gpu | null,
  label: string,
  p: LaShape & { scale?: number },
  count: number,
  s0: Float32Array | null | undefined,
  forms: StateStepperForms,
): Promise<Stepper<StateStep>> {
  const n = p.B * p.H * p.K * p.V;
  const s = scaleFor(p, p.scale);
  if (gpu?.status !== 'ok') {
    const S = new Float64Array(n);
    const reset = () => {
      S.fill(0);
      if (s0) S.set(s0);
    };
    reset();
    return makeStepper(label, {
      backend: 'cpu',
      count,
      advance(t) {
        const o = forms.cpu(S, t, s);
        return { t, S: Float32Array.from(S), o };
      },
      reset,
    });
  }
  return buildInScope(gpu, label, async (scope) => {
    const S = scope.storage('S', n * 4);
    const { step, readO } = await forms.gpu(gpu, scope, S, s);
    const reset = () => gpu.device.queue.writeBuffer(S, 0, s0 ?? new Float32Array(n));
    reset();
    return makeStepper(label, {
      backend: 'webgpu',
      count,
      async advance(t) {
        step.params.set({ t });
        await runDispatches(gpu, label, [step]);
        const St = await readF32(gpu, S, n);
        return { t, S: St, o: await readO(t) };
      },
      reset,
      free: () => scope.release(),
    });
  });
}
