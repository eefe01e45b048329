// HiPPO-LegS online one step at a time, for the s4 stage to animate the compression: step k makes c_{k+1}
// (0-based k, 1-based step k+1 in the papers' numbering) and the reconstruction of the history so far,
// f_1 .. f_{k+1}, from it (k+1 samples, oldest first). On the GPU each step is one submission of three
// dispatches on buffers that stay on the device — that step's transition into one slot (so nothing of
// size L·N² is ever held), one step of the recurrence, the reconstruction — and one readback of c and the
// reconstruction; on the CPU, the same step in float64.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { runDispatches } from '../../gpu/kernel';
import { buildInScope } from '../../gpu/run';
import { hippoLegs } from '../../reference/hippo';
import { legsReconstruct, legsTransition } from '../../reference/hippoOnline';
import { traceBuffer } from '../../trace/events';
import { makeStepper, type Stepper } from '../program';
import { readSlices } from './common';
import { checkOnline, type HippoOnlineParams } from './hippoLegsOnline';
import { hippoLegsDispatch } from './hippoLegs';
import {
  reconstructDispatch,
  recurrenceDispatch,
  transitionDispatch,
  transitionScratch,
} from './hippoOnlineKernels';

const LABEL = 'hippoLegsOnline.stepper';

export interface HippoOnlineStep {
  /** The step just run, from 0. */
  k: number;
  coefficients: Float32Array; // (N,) c_{k+1}
  reconstruction: Float32Array; // (k+1,) f_1 .. f_{k+1} from c_{k+1}, oldest first
}

/** Steps in all: one per sample of f. */
export const hippoLegsOnlineStepCount = (p: { L: number }): number => p.L;

function cpuStepper(p: HippoOnlineParams, f: ArrayLike<number>): Stepper<HippoOnlineStep> {
  const { N } = p;
  const { A, B } = hippoLegs(N);
  let c = new Float64Array(N);
  return makeStepper(LABEL, {
    backend: 'cpu',
    count: p.L,
    advance(k) {
      const { Abar, Bbar } = legsTransition(A, B, N, k + 1, p.disc);
      c = Float64Array.from({ length: N }, (_, i) => {
        let acc = Bbar[i] * f[k];
        for (let j = 0; j < N; j++) acc += Abar[i * N + j] * c[j];
        return acc;
      });
      const reconstruction = Float32Array.from(legsReconstruct(c, N, k + 1));
      return { k, coefficients: Float32Array.from(c), reconstruction };
    },
    reset() {
      c = new Float64Array(N);
    },
  });
}

/** gpu null -> the float64 CPU stepper; otherwise one submission per step. */
export async function createHippoLegsOnlineStepper(
  gpu: Gpu | null,
  p: HippoOnlineParams,
  f: ArrayLike<number>,
): Promise<Stepper<HippoOnlineStep>> {
  checkOnline(LABEL, p);
  if (f.length !== p.L) throw new EngineError(LABEL, `f must be (L,) = (${p.L},); got ${f.length}`);
  if (!gpu) return cpuStepper(p, f);
  const { N, L, disc } = p;
  return buildInScope(gpu, LABEL, async (scope) => {
    const legs = await hippoLegsDispatch(gpu, scope, N);
    await runDispatches(gpu, LABEL, [legs.dispatch]);
    const trace = traceBuffer(scope, 1);
    const slot = {
      A: legs.A,
      B: legs.B,
      work: scope.storage('work', Math.max(4, 4 * transitionScratch(N, disc))), // (1, S)
      Abar: scope.storage('Abar', 4 * N * N), // (1, N, N)
      Bbar: scope.storage('Bbar', 4 * N), // (1, N)
      status: scope.storage('status', 4),
      trace,
    };
    const c = scope.storage('c', 4 * N); // (N,)
    const coefficients = scope.storage('coefficients', 4 * L * N); // (L, N)
    const reconstruction = scope.storage('reconstruction', 4 * L); // (L,)
    const step = { N, disc, k0: 0, first: 0, count: 1 };
    const transition = await transitionDispatch(gpu, scope, step, slot, false);
    const rb = {
      Abar: slot.Abar,
      Bbar: slot.Bbar,
      f: scope.upload('f', Float32Array.from(f)),
      c,
      coefficients,
      trace,
    };
    const recurrence = await recurrenceDispatch(gpu, scope, { N, L, k0: 0, steps: 1 }, rb);
    const rec = { coefficients, reconstruction, trace };
    const reconstruct = await reconstructDispatch(gpu, scope, { N, samples: 1, row: 0, maxSamples: L }, rec);
    return makeStepper(LABEL, {
      backend: 'webgpu',
      count: L,
      async advance(k) {
        transition.params.set({ k0: k });
        recurrence.params.set({ k0: k });
        reconstruct.params.set({ L: k + 1, at: k * N });
        await runDispatches(gpu, LABEL, [transition, recurrence, reconstruct]);
        const all = await readSlices(gpu, LABEL, [
          { buffer: c, offset: 0, bytes: 4 * N },
          { buffer: reconstruction, offset: 0, bytes: 4 * (k + 1) },
        ]);
        return { k, coefficients: all.slice(0, N), reconstruction: all.slice(N) };
      },
      free: () => scope.release(),
    });
  });
}
