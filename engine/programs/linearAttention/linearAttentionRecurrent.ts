// linearAttentionRecurrent: the recurrence S_t = S_{t−1} + k_t v_tᵀ, o_t = s q_tᵀ S_t on the GPU, one step at a
// time with the state in registers. Also serves simple GLA (g) and GLA (gk); see simpleGla.ts and gla.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { kernel, runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { type LaShape, linearAttentionRecurrent } from '../../reference/linearAttention';
import { Rng } from '../../util/rng';
import {
  gateKind,
  type LaGpuInputs,
  type LaGpuOptions,
  type LaGpuResult,
  scaleFor,
  validateLa,
  withNormalize,
} from './common';
import type { Program } from '../program';

const WG = 64;
/** Workgroup memory budget for the q, k and gate blocks, in f32 values per block. */
const BLOCK_VALUES = 1024;

export async function laRecurrentGpu(
  gpu: Gpu,
  shape: LaShape,
  inputs: LaGpuInputs,
  opts: LaGpuOptions = {},
): Promise<LaGpuResult> {
  const label = 'linearAttentionRecurrent';
  validateLa(label, shape, inputs);
  const scale = scaleFor(shape, opts.scale);
  const { p, x, finish } = withNormalize(shape, inputs, opts.normalize ?? false);
  if (p.K > BLOCK_VALUES) throw new EngineError(label, `K = ${p.K} exceeds ${BLOCK_VALUES}`);
  const TB = Math.max(1, Math.min(64, Math.floor(BLOCK_VALUES / p.K)));
  const gate = gateKind(x);
  const scope = new BufferScope(gpu, label);
  try {
    const k = await kernel(gpu, {
      label: `${label}.scan`,
      sources: ['linearAttention/linearAttentionRecurrent.wgsl'],
      constants: { WG, GATE: gate },
      prelude: `const KP: u32 = ${p.K}u;\nconst TB: u32 = ${TB}u;\n`,
    });
    const oBuf = scope.storage('o', p.B * p.T * p.H * p.V * 4);
    const sBuf = scope.storage('finalState', p.B * p.H * p.K * p.V * 4);
    const gateData = x.gk ?? x.g ?? new Float32Array(1);
    const { gpuMs } = await runDispatches(
      gpu,
      label,
      [
        {
          kernel: k,
          bindings: [
            scope.uniform('params', [
              ['u32', p.B],
              ['u32', p.T],
              ['u32', p.H],
              ['u32', p.K],
              ['u32', p.V],
              ['f32', scale],
              ['u32', x.initialState ? 1 : 0],
            ]),
            scope.upload('q', x.q),
            scope.upload('k', x.k),
            scope.upload('v', x.v),
            scope.upload('gate', gateData),
            scope.upload('s0', x.initialState ?? new Float32Array(1)),
            oBuf,
            sBuf,
          ],
          workgroups: [Math.ceil(p.V / WG), p.H, p.B],
        },
      ],
      { time: opts.time },
    );
    const o = await readF32(gpu, oBuf, p.B * p.T * p.H * p.V);
    const s = await readF32(gpu, sBuf, p.B * p.H * p.K * p.V);
    return { ...finish(o, s), gpuMs };
  } finally {
    scope.release();
  }
}

export interface LaParams extends LaShape {
  /** Scale s; K^-0.5 when absent. */
  scale?: number;
  normalize?: boolean;
  /** Start from a seeded S0 instead of zeros. */
  withInitialState?: boolean;
}
export interface LaInputsF32 {
  q: Float32Array; // (B, T, H, K)
  k: Float32Array; // (B, T, H, K)
  v: Float32Array; // (B, T, H, V)
  initialState: Float32Array | null; // (B, H, K, V)
}
export type LaOutputsHost = { o: Float32Array | Float64Array; finalState: Float32Array | Float64Array };

/** Seeded q, k, v (and S0), shared by the linear-attention programs. */
export function makeLaInputs(p: LaParams, seed: number): LaInputsF32 {
  const rng = new Rng(seed);
  const { B, T, H, K, V } = p;
  return {
    q: rng.normals(B * T * H * K),
    k: rng.normals(B * T * H * K),
    v: rng.normals(B * T * H * V),
    initialState: p.withInitialState ? rng.normals(B * H * K * V) : null,
  };
}

export const linearAttentionRecurrentProgram: Program<LaParams, LaInputsF32, LaOutputsHost> = {
  id: 'linearAttentionRecurrent',
  title: 'Linear attention, recurrent form S_t = S_{t−1} + k_t v_tᵀ',
  makeInputs: makeLaInputs,
  reference: (p, x) => linearAttentionRecurrent(p, x, p.scale, p.normalize),
  async run(gpu, p, x, opts = {}) {
    const { o, finalState, gpuMs } = await laRecurrentGpu(gpu, p, x, { ...p, time: opts.time });
    return { outputs: { o, finalState }, gpuMs, trace: null };
  },
  tolerance: 1e-4,
};
