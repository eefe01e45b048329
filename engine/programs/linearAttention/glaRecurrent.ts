// GLA, recurrent form: a log-decay vector gk over K per head and step, S_t = diag(e^{gk_t}) S_{t−1} + k_t v_tᵀ,
// o_t = K^-0.5 q_tᵀ S_t, on the linear-attention recurrent kernel with the vector gate.

import type { Gpu } from '../../gpu/device';
import type { BufferScope } from '../../gpu/tensor';
import { glaRecurrent } from '../../reference/gla';
import { defaultScale, type LaShape } from '../../reference/linearAttention';
import { Rng } from '../../util/rng';
import { type LaInputsF32, laProgram, makeLaInputs } from './common';
import { type LaRecurrentBuffers, laRecurrentDispatch, laRecurrentGpu } from './linearAttentionRecurrent';

export interface GlaParams extends LaShape {
  withInitialState?: boolean;
}
export interface GlaInputs extends LaInputsF32 {
  gk: Float32Array; // (B, T, H, K) ≤ 0
}

/** The recurrence with gk (B, T, H, K) in `b.gate` and GLA's scale K^-0.5. */
export const glaRecurrentDispatch = (
  gpu: Gpu,
  scope: BufferScope,
  p: LaShape & { hasS0: boolean },
  b: LaRecurrentBuffers,
) => laRecurrentDispatch(gpu, scope, { ...p, scale: defaultScale(p.K), gate: 2 }, b);

export const glaRecurrentProgram = laProgram<GlaParams, GlaInputs>({
  id: 'glaRecurrent',
  title: 'GLA, recurrent form S_t = diag(e^{gk_t}) S_{t−1} + k_t v_tᵀ',
  makeInputs(p, seed) {
    const gk = new Rng(seed ^ 0x27d4eb2f).uniforms(p.B * p.T * p.H * p.K, -0.5, 0);
    return { ...makeLaInputs(p, seed), gk };
  },
  reference: (p, x) => glaRecurrent(p, x),
  gpu: (gpu, p, x, opts) => laRecurrentGpu(gpu, p, x, { scale: defaultScale(p.K), time: opts.time }),
});
