// The LSTM stepper: one time step of a multi-layer LSTM per call (one cell dispatch per layer), reading
// back h_t, c_t and the four activated gates (i, f, g, o) of every layer in one round trip. For the
// animated step-by-step view of how c keeps what h forgets; the CPU backend chains the float64 lstmCell
// when there is no GPU. Built on makeStepper (counting, the end, disposal).

import type { Gpu } from '../../gpu/device';
import { lstmCell } from '../../reference/lstm';
import type { Stepper } from '../program';
import { cpuCellStepper, gpuCellStepper } from './cellStepper';
import { layerIn } from './common';
import { type LstmInputs, type LstmParams, validateLstm } from './lstm';
import { lstmStepKernel } from './lstmStep';

const label = 'lstmStepper';

export interface LstmStep {
  /** The step just taken, 0-based. */
  t: number;
  h: Float32Array; // (layers, b, H) h_t of every layer
  c: Float32Array; // (layers, b, H) c_t of every layer
  gates: Float32Array; // (layers, b, 4H) σ(i), σ(f), tanh(g), σ(o) of step t, per layer
  y: Float32Array; // (b, H) the top layer's h_t, the output at t
}

/** Steps in all: one per time step t (each runs every layer). */
export const lstmStepCount = (p: Pick<LstmParams, 'T'>): number => p.T;

/** Splits one stacked readback [h | c | gates] into a step's state. */
function stepState(t: number, all: Float32Array, p: LstmParams): LstmStep {
  const s = p.layers * p.b * p.hidden;
  const h = all.slice(0, s);
  return {
    t,
    h,
    c: all.slice(s, 2 * s),
    gates: all.slice(2 * s, 6 * s),
    y: h.slice((p.layers - 1) * p.b * p.hidden),
  };
}

function cpuStepper(p: LstmParams, x: LstmInputs): Stepper<LstmStep> {
  const { b, hidden: H, layers } = p;
  const s = layers * b * H;
  const all = new Float64Array(6 * s); // [h | c | gates]
  return cpuCellStepper(label, p, x, lstmStepCount(p), {
    init() {
      all.fill(0);
      if (x.h0) all.set(x.h0, 0);
      if (x.c0) all.set(x.c0, s);
    },
    cell(input, w, l) {
      const at = l * b * H;
      const h = all.subarray(at, at + b * H);
      const c = all.subarray(s + at, s + at + b * H);
      const r = lstmCell(input, h, c, w, b, layerIn(p, l), H);
      all.set(r.h, at);
      all.set(r.c, s + at);
      all.set(r.gates, 2 * s + 4 * at);
      return r.h;
    },
    read: (t) => stepState(t, Float32Array.from(all), p),
  });
}

/** A stepper on the GPU when `gpu` is usable, else on the CPU. */
export async function createLstmStepper(
  gpu: Gpu | null,
  p: LstmParams,
  x: LstmInputs,
): Promise<Stepper<LstmStep>> {
  validateLstm(label, p, x);
  if (gpu?.status !== 'ok') return cpuStepper(p, x);
  const { b, hidden: H } = p;
  const spec = {
    label,
    count: lstmStepCount(p),
    kernel: await lstmStepKernel(gpu),
    states: ['h', 'c'],
    initial: { h: x.h0, c: x.c0 },
    extra: { name: 'gates', floats: b * 4 * H },
  };
  return gpuCellStepper(gpu, p, x, spec, (t, all) => stepState(t, all, p));
}
