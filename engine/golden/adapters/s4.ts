// Golden adapters for the HiPPO / S4 / S4D family.

import { discretizeDenseGpu } from '../../programs/discretizeDense';
import { hippoLegsGpu } from '../../programs/hippoLegs';
import { ssmConvGpu } from '../../programs/ssmConv';
import { causalConv } from '../../reference/conv';
import { discretizeBilinearDense, discretizeZohDense } from '../../reference/discretize';
import { hippoLegs } from '../../reference/hippo';
import type { GoldenAdapter } from '../format';
import { f32, param } from '../format';

export const s4Adapters: Record<string, GoldenAdapter> = {
  ssm_conv: {
    cpu: (c) => ({ y: causalConv(c.inputs.K.data, c.inputs.u.data, 1, 1, c.inputs.u.data.length) }),
    gpu: async (gpu, c) => {
      const L = c.inputs.u.data.length;
      const { y } = await ssmConvGpu(gpu, { B: 1, H: 1, L }, { K: f32(c.inputs.K), u: f32(c.inputs.u) });
      return { y };
    },
  },
  hippo_legs: {
    cpu: (c) => hippoLegs(param(c, 'N', 0)),
    gpu: async (gpu, c) => {
      const { A, B } = await hippoLegsGpu(gpu, param(c, 'N', 0));
      return { A, B };
    },
  },
  discretize_zoh: {
    cpu: (c) => discretizeZohDense(c.inputs.A.data, c.inputs.B.data, param(c, 'dt', 0)),
    gpu: (gpu, c) => discretizeDenseGpu(gpu, f32(c.inputs.A), f32(c.inputs.B), param(c, 'dt', 0), 'zoh'),
  },
  discretize_bilinear: {
    cpu: (c) => discretizeBilinearDense(c.inputs.A.data, c.inputs.B.data, param(c, 'dt', 0)),
    gpu: (gpu, c) => discretizeDenseGpu(gpu, f32(c.inputs.A), f32(c.inputs.B), param(c, 'dt', 0), 'bilinear'),
  },
};
