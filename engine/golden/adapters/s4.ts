// Golden adapters for the HiPPO / S4 / S4D family.

import { ssmConvGpu } from '../../programs/ssmConv';
import { causalConv } from '../../reference/conv';
import type { GoldenAdapter } from '../format';
import { f32 } from '../format';

export const s4Adapters: Record<string, GoldenAdapter> = {
  ssm_conv: {
    cpu: (c) => ({ y: causalConv(c.inputs.K.data, c.inputs.u.data, 1, 1, c.inputs.u.data.length) }),
    gpu: async (gpu, c) => {
      const L = c.inputs.u.data.length;
      const { y } = await ssmConvGpu(gpu, { B: 1, H: 1, L }, { K: f32(c.inputs.K), u: f32(c.inputs.u) });
      return { y };
    },
  },
};
