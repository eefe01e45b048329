// linearAttentionRecurrent: the recurrence S_t = S_{t−1} + k_t v_tᵀ, o_t = s q_tᵀ S_t on the GPU, one step at a
// time with the state in registers. Also serves simple GLA (g) and GLA (gk); see simpleGla.ts and glaRecurrent.ts.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { type Dispatch, kernel } from '../../gpu/kernel';
import type { BufferScope } from '../../gpu/tensor';
import { type LaShape, linearAttentionRecurrent } from '../../reference/linearAttention';
import type {
  GatedBuffers,
  LaGatedPlan,
  LaGpuInputs,
  LaGpuOptions,
  LaInputsF32,
  LaParams,
  LaRun,
} from './common';
import {
  gateKind,
  headDispatch,
  LA_SOURCES,
  laProgram,
  laRun,
  makeLaInputs,
  placeholder,
  prepareLa,
  uploadGated,
  WG,
} from './common';

/** Workgroup memory budget for the q, k and gate blocks, in f32 values per block. */
const BLOCK_VALUES = 1024;

export interface LaRecurrentPlan extends LaGatedPlan {
  hasS0: boolean;
}

export interface LaRecurrentBuffers extends GatedBuffers {
  s0: GPUBuffer; // (B, H, K, V), read when hasS0
  o: GPUBuffer; // (B, T, H, V)
  sT: GPUBuffer; // (B, H, K, V)
}

export async function laRecurrentKernel(gpu: Gpu, K: number, gate: 0 | 1 | 2) {
  const label = 'linearAttentionRecurrent';
  if (K > BLOCK_VALUES) throw new EngineError(label, `K = ${K} exceeds ${BLOCK_VALUES}`);
  const TB = Math.max(1, Math.min(64, Math.floor(BLOCK_VALUES / K)));
  return kernel(gpu, {
    label: `${label}.scan`,
    sources: [...LA_SOURCES, 'linearAttention/linearAttentionRecurrent.wgsl', 'common/perWorkgroup.wgsl'],
    constants: { WG, GATE: gate },
    prelude: `const KP: u32 = ${K}u;\nconst TB: u32 = ${TB}u;\n`,
  });
}

/** The scan on given buffers: one workgroup per (b, h, tile of WG value columns). */
export async function laRecurrentDispatch(
  gpu: Gpu,
  scope: BufferScope,
  plan: LaRecurrentPlan,
  b: LaRecurrentBuffers,
): Promise<Dispatch> {
  const k = await laRecurrentKernel(gpu, plan.K, plan.gate);
  const fields = { scale: plan.scale, hasS0: plan.hasS0 ? 1 : 0 };
  return headDispatch(scope, k, plan, Math.ceil(plan.V / WG), fields, { ...b });
}

export async function laRecurrentGpu(
  gpu: Gpu,
  shape: LaShape,
  inputs: LaGpuInputs,
  opts: LaGpuOptions = {},
): Promise<LaRun> {
  const label = 'linearAttentionRecurrent';
  const { scale, p, x, finish } = prepareLa(label, shape, inputs, opts);
  const { B, T, H, K, V } = p;
  // Untraced: the kernel binds no trace.
  return laRun(
    gpu,
    label,
    { time: opts.time },
    async (scope) => {
      const b: LaRecurrentBuffers = {
        ...uploadGated(scope, x),
        s0: x.initialState ? scope.upload('s0', x.initialState) : placeholder(scope, 's0'),
        o: scope.storage('o', B * T * H * V * 4),
        sT: scope.storage('finalState', B * H * K * V * 4),
      };
      const plan = { ...p, scale, gate: gateKind(x), hasS0: !!x.initialState };
      const dispatches = [await laRecurrentDispatch(gpu, scope, plan, b)];
      return { dispatches, o: [b.o, B * T * H * V], finalState: [b.sT, B * H * K * V] };
    },
    finish,
  );
}

export const linearAttentionRecurrentProgram = laProgram<LaParams, LaInputsF32>({
  id: 'linearAttentionRecurrent',
  title: 'Linear attention, recurrent form S_t = S_{t−1} + k_t v_tᵀ',
  makeInputs: makeLaInputs,
  reference: (p, x) => linearAttentionRecurrent(p, x, p.scale, p.normalize),
  gpu: (gpu, p, x, opts) => laRecurrentGpu(gpu, p, x, { ...p, time: opts.time }),
});
