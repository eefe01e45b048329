// Golden adapters for README functions that have no vectors in ../shared/golden/vectors: make_hippo_annotated,
// hippo_legs_rank_correction, expm, softplus, silu, inv_softplus. Their output names are not fixed by the
// README, so each result is offered under the likely names (the runner compares only the names a case has).

import { activationGpu, activationReference, type Activation } from '../../programs/mamba/activations';
import { discretizeDenseGpu } from '../../programs/s4/discretizeDense';
import { hippoLegsGpu } from '../../programs/s4/hippoLegs';
import { hippoLegs, hippoLegsRankCorrection } from '../../reference/hippo';
import { expm } from '../../reference/linalg';
import type { GArray, GoldenAdapter, GoldenCase, GoldenValue } from '../format';
import { f32, param } from '../format';

const names = (v: GoldenValue, ...keys: string[]) => Object.fromEntries(keys.map((k) => [k, v]));

/** The case's one input (its name is not fixed by the README). */
function onlyInput(c: GoldenCase, preferred: string[]): GArray {
  for (const k of preferred) if (c.inputs[k]) return c.inputs[k];
  const all = Object.values(c.inputs);
  if (all.length !== 1)
    throw new Error(`${c.fn}: want one input (${preferred.join(' or ')}), got ${all.length}`);
  return all[0];
}

/** The square matrix M (n, n) of an expm case. */
function square(c: GoldenCase): { M: GArray; n: number } {
  const M = onlyInput(c, ['M', 'A', 'x']);
  const n = M.shape[0];
  if (M.shape.length !== 2 || M.shape[1] !== n)
    throw new Error(`expm: M must be square, got (${M.shape.join(',')})`);
  return { M, n };
}

function activation(act: Activation): GoldenAdapter {
  const input = (c: GoldenCase) => onlyInput(c, act === 'inv_softplus' ? ['y', 'x'] : ['x']);
  return {
    cpu: (c) => names(activationReference(act, input(c).data), 'out', 'y', 'x'),
    gpu: async (gpu, c) => names((await activationGpu(gpu, act, f32(input(c)))).y, 'out', 'y', 'x'),
  };
}

export const withoutVectorsAdapters: Record<string, GoldenAdapter> = {
  make_hippo_annotated: {
    cpu: (c) => names(hippoLegs(param(c, 'N', 0)).A, 'A', 'out'),
    gpu: async (gpu, c) => names((await hippoLegsGpu(gpu, param(c, 'N', 0))).A, 'A', 'out'),
  },
  hippo_legs_rank_correction: {
    cpu: (c) => names(hippoLegsRankCorrection(param(c, 'N', 0)), 'P', 'out'),
    // The GPU fills B = sqrt(2n+1); P = sqrt(n + 1/2) = B / sqrt(2).
    gpu: async (gpu, c) =>
      names(
        (await hippoLegsGpu(gpu, param(c, 'N', 0))).B.map((b) => b * Math.SQRT1_2),
        'P',
        'out',
      ),
  },
  expm: {
    cpu: (c) => {
      const { M, n } = square(c);
      return names(expm(M.data, n), 'out', 'expm', 'E');
    },
    // expm(M) is the Ā of ZOH with dt = 1 and B = 0 (the dense discretization kernel's Padé-13 expm).
    gpu: async (gpu, c) => {
      const { M, n } = square(c);
      const r = await discretizeDenseGpu(gpu, f32(M), new Float32Array(n), 1, 'zoh');
      return names(r.Abar, 'out', 'expm', 'E');
    },
  },
  softplus: activation('softplus'),
  silu: activation('silu'),
  inv_softplus: activation('inv_softplus'),
};
