// The RNN stepper: one time step of a multi-layer Elman RNN per call (one cell dispatch per layer), reading
// back h_t of every layer. For the animated step-by-step view at small sizes; the CPU backend steps the
// float64 reference when there is no GPU. Built on makeStepper (counting, the end, disposal); the GPU half
// is cellStepper.ts.

import type { Gpu } from '../../gpu/device';
import { rnnStep } from '../../reference/rnn';
import type { Stepper } from '../program';
import { cpuCellStepper, gpuCellStepper } from './cellStepper';
import { layerIn } from './common';
import { type ElmanInputs, type ElmanParams, validateElman } from './elmanRnn';
import { rnnStepKernel } from './rnnStep';

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
  return cpuCellStepper(label, p, x, rnnStepCount(p), {
    init() {
      h.fill(0);
      if (x.h0) h.set(x.h0);
    },
    cell(input, w, l) {
      const hl = h.subarray(l * b * hidden, (l + 1) * b * hidden);
      const next = rnnStep(input, hl, w, b, layerIn(p, l), hidden, p.nonlinearity);
      h.set(next, l * b * hidden);
      return next;
    },
    read: (t) => stepState(t, Float32Array.from(h), p),
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
  const spec = {
    label,
    count: rnnStepCount(p),
    kernel: await rnnStepKernel(gpu, p.nonlinearity ?? 'tanh'),
    states: ['h'],
    initial: { h: x.h0 },
  };
  return gpuCellStepper(gpu, p, x, spec, (t, h) => stepState(t, h, p));
}
