// The dense-Ā recurrence one step at a time: x_k = Ā x_{k-1} + B̄ u_k, y_k = C x_k + D u_k. On the GPU,
// one dispatch of the scan kernel per step (a window of one step over a state buffer that stays on the
// device), reading back x_k and y_k after each; on the CPU, the same step in float64.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { runDispatches } from '../../gpu/kernel';
import { buildInScope } from '../../gpu/run';
import { traceBuffer } from '../../trace/events';
import { makeStepper, type Stepper } from '../program';
import { readSlices } from './common';
import { ssmScanDispatch } from './ssmScan';

export interface DenseScanStep {
  /** The step just run, from 0. */
  k: number;
  x: Float32Array; // (N,) x_k
  y: number; // y_k
}

export interface DenseScanInputs {
  Abar: ArrayLike<number>; // (N, N)
  Bbar: ArrayLike<number>; // (N,)
  C: ArrayLike<number>; // (N,)
  u: ArrayLike<number>; // (L,)
  D: number;
}

/** Steps in all: one per input sample. */
export const denseScanStepCount = (p: { L: number }): number => p.L;

function check(N: number, L: number, x: DenseScanInputs): void {
  if (x.Abar.length !== N * N || x.Bbar.length !== N || x.C.length !== N || x.u.length !== L)
    throw new EngineError('ssmScan.stepper', `Ā must be (${N},${N}), B̄ and C (${N},), u (${L},)`);
}

function cpuStepper(N: number, L: number, x: DenseScanInputs): Stepper<DenseScanStep> {
  let state = new Float64Array(N);
  return makeStepper('ssmScan.step', {
    backend: 'cpu',
    count: L,
    advance(k) {
      const uk = x.u[k];
      const next = new Float64Array(N);
      let y = x.D * uk;
      for (let i = 0; i < N; i++) {
        let t = x.Bbar[i] * uk;
        for (let j = 0; j < N; j++) t += x.Abar[i * N + j] * state[j];
        next[i] = t;
        y += x.C[i] * t;
      }
      state = next;
      return { k, x: Float32Array.from(state), y };
    },
    reset() {
      state = new Float64Array(N);
    },
  });
}

/** gpu null -> the float64 CPU stepper; otherwise one scan dispatch per step. */
export async function createDenseScanStepper(
  gpu: Gpu | null,
  p: { N: number; L: number },
  x: DenseScanInputs,
): Promise<Stepper<DenseScanStep>> {
  const { N, L } = p;
  check(N, L, x);
  if (!gpu) return cpuStepper(N, L, x);
  return buildInScope(gpu, 'ssmScan.stepper', async (scope) => {
    const xBuf = scope.storage('x', N * 4);
    const yBuf = scope.storage('y', L * 4);
    const dispatch = await ssmScanDispatch(
      gpu,
      scope,
      { N, L, k0: 0, steps: 1, hasX0: true, writeStates: false, impulse: false, D: x.D },
      {
        Abar: scope.upload('Abar', Float32Array.from(x.Abar)),
        Bbar: scope.upload('Bbar', Float32Array.from(x.Bbar)),
        C: scope.upload('C', Float32Array.from(x.C)),
        u: scope.upload('u', Float32Array.from(x.u)),
        x: xBuf,
        y: yBuf,
        states: scope.storage('states', 4),
        trace: traceBuffer(scope, 1),
      },
    );
    return makeStepper('ssmScan.step', {
      backend: 'webgpu',
      count: L,
      async advance(k) {
        dispatch.params.set({ k0: k });
        await runDispatches(gpu, 'ssmScan.step', [dispatch]);
        // x (N,) and y[k] in one round trip
        const all = await readSlices(gpu, 'ssmScan.stepper', [
          { buffer: xBuf, offset: 0, bytes: N * 4 },
          { buffer: yBuf, offset: k * 4, bytes: 4 },
        ]);
        return { k, x: all.slice(0, N), y: all[N] };
      },
      reset() {
        gpu.device.queue.writeBuffer(xBuf, 0, new Float32Array(N));
      },
      free: () => scope.release(),
    });
  });
}
