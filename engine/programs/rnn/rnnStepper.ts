// The RNN stepper: one time step of a multi-layer Elman RNN per call (one cell dispatch per layer), reading
// back h_t of every layer. For the animated step-by-step view at small sizes; the CPU backend steps the
// float64 reference when there is no GPU. Built on makeStepper (counting, the end, disposal).

import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope } from '../../gpu/tensor';
import { rnnStep } from '../../reference/rnn';
import { makeStepper, type Stepper } from '../program';
import { cellStepDims, readStacked, stepInput, stepInputAt, uploadCellWeights } from './common';
import { type ElmanInputs, type ElmanParams, validateElman } from './elmanRnn';
import { rnnStepDispatch, rnnStepKernel } from './rnnStep';

const label = 'rnnStepper';

export interface RnnStep {
  /** The step just taken, 0-based. */
  t: number;
  h: Float32Array; // (layers, b, hidden) h_t of every layer
  y: Float32Array; // (b, hidden) the top layer's h_t, the output at t
}

/** Steps in all: one per time step t (each runs every layer). */
export const rnnStepCount = (p: Pick<ElmanParams, 'T'>): number => p.T;

function stepState(t: number, h: Float32Array, p: ElmanParams): RnnStep {
  return { t, h, y: h.slice((p.layers - 1) * p.b * p.hidden) };
}

function cpuStepper(p: ElmanParams, x: ElmanInputs): Stepper<RnnStep> {
  const { b, hidden, layers } = p;
  const h = new Float64Array(layers * b * hidden);
  const init = () => {
    h.fill(0);
    if (x.h0) h.set(x.h0);
  };
  init();
  return makeStepper(label, {
    backend: 'cpu',
    count: rnnStepCount(p),
    advance(t) {
      let input: ArrayLike<number> = stepInput(p, x.x, t);
      x.weights.forEach((w, l) => {
        const inSize = l === 0 ? p.inSize : hidden;
        const hl = h.subarray(l * b * hidden, (l + 1) * b * hidden);
        const next = rnnStep(input, hl, w, b, inSize, hidden, p.nonlinearity);
        h.set(next, l * b * hidden);
        input = next;
      });
      return stepState(t, Float32Array.from(h), p);
    },
    reset: init,
  });
}

/** A stepper on the GPU when `gpu` is usable, else on the CPU. */
export async function createRnnStepper(
  gpu: Gpu | null,
  p: ElmanParams,
  x: ElmanInputs,
): Promise<Stepper<RnnStep>> {
  validateElman(label, p, x);
  if (gpu?.status !== 'ok') return cpuStepper(p, x);
  const { b, hidden, layers } = p;
  const k = await rnnStepKernel(gpu, p.nonlinearity ?? 'tanh');
  const scope = new BufferScope(gpu, label);
  try {
    const xBuf = scope.upload('x', x.x);
    const w = uploadCellWeights(scope, x.weights);
    // Two h buffers per layer, swapped every step: step t reads h_{t−1} from [t % 2], writes h_t to the other.
    const hBuf = Array.from({ length: layers }, (_, l) => [
      scope.storage(`h${l}a`, b * hidden * 4),
      scope.storage(`h${l}b`, b * hidden * 4),
    ]);
    // The dispatches of an even and an odd step, built once; a step only moves layer 0's x offset.
    const plans = [0, 1].map((cur) =>
      w.map((wl, l) =>
        rnnStepDispatch(k, scope, cellStepDims(p, l), {
          ...wl,
          x: l === 0 ? xBuf : hBuf[l - 1][1 - cur],
          h: hBuf[l][cur],
          hOut: hBuf[l][1 - cur],
        }),
      ),
    );
    const init = () => {
      for (let l = 0; l < layers; l++) {
        const h0 = x.h0 ? x.h0.subarray(l * b * hidden, (l + 1) * b * hidden) : new Float32Array(b * hidden);
        gpu.device.queue.writeBuffer(hBuf[l][0], 0, h0);
      }
    };
    init();
    return makeStepper(label, {
      backend: 'webgpu',
      count: rnnStepCount(p),
      async advance(t) {
        const plan = plans[t % 2];
        plan[0].params.set({ xOff: stepInputAt(p, t).xOff });
        await runDispatches(gpu, label, plan);
        const h = await readStacked(
          gpu,
          label,
          hBuf.map((hl) => ({ buf: hl[(t + 1) % 2], n: b * hidden })),
        );
        return stepState(t, h, p);
      },
      reset: init,
      free: () => scope.release(),
    });
  } catch (err) {
    scope.release();
    throw err;
  }
}
