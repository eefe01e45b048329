// GLA, recurrent form: a log-decay vector gk over K per head and step, S_t = diag(e^{gk_t}) S_{t−1} + k_t v_tᵀ,
// o_t = K^-0.5 q_tᵀ S_t, on the linear-attention recurrent kernel with the vector gate.

import { glaRecurrent } from '../../reference/gla';
import { defaultScale, type LaShape } from '../../reference/linearAttention';
import { Rng } from '../../util/rng';
import { type LaOutputsHost, laRecurrentGpu, makeLaInputs } from './linearAttentionRecurrent';
import type { Program } from '../program';

export interface GlaParams extends LaShape {
  withInitialState?: boolean;
}
export interface GlaInputs {
  q: Float32Array; // (B, T, H, K)
  k: Float32Array; // (B, T, H, K)
  v: Float32Array; // (B, T, H, V)
  gk: Float32Array; // (B, T, H, K) ≤ 0
  initialState: Float32Array | null; // (B, H, K, V)
}

export const glaRecurrentProgram: Program<GlaParams, GlaInputs, LaOutputsHost> = {
  id: 'glaRecurrent',
  title: 'GLA, recurrent form S_t = diag(e^{gk_t}) S_{t−1} + k_t v_tᵀ',
  makeInputs(p, seed) {
    const gk = new Rng(seed ^ 0x27d4eb2f).uniforms(p.B * p.T * p.H * p.K, -0.5, 0);
    return { ...makeLaInputs(p, seed), gk };
  },
  reference: (p, x) => glaRecurrent(p, x),
  async run(gpu, p, x, opts = {}) {
    const r = await laRecurrentGpu(gpu, p, x, { scale: defaultScale(p.K), time: opts.time });
    return { outputs: { o: r.o, finalState: r.finalState }, gpuMs: r.gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
