// Both halves of the family's steppers (rnnStepper.ts, lstmStepper.ts): one time step of a multi-layer
// recurrence per call. On the GPU one cell dispatch per layer, and every layer's state read back in one round
// trip; on the CPU the float64 cells chained up the layers (cpuCellStepper).
// Each state (h, and an LSTM's c) has two (b, hidden) buffers per layer, swapped every step; a cell may
// also write a per-layer output of its own (the LSTM's gates). Built on makeStepper.

import type { Gpu } from '../../gpu/device';
import { type Kernel, runDispatches } from '../../gpu/kernel';
import { buildInScope } from '../../gpu/run';
import { makeStepper, type Stepper } from '../program';
import {
  cellStepDims,
  cellStepDispatch,
  readStacked,
  type RnnWeights,
  type SequenceShape,
  stepInput,
  stepInputAt,
  uploadCellWeights,
} from './common';

/** The CPU half: at step t each layer's float64 cell runs on the output of the layer below (x_t at layer 0). */
export function cpuCellStepper<R>(
  label: string,
  p: SequenceShape,
  x: { x: ArrayLike<number>; weights: readonly RnnWeights[] },
  count: number,
  cells: {
    /** (Re)sets the states to their initial values. */
    init(): void;
    /** Runs layer l's cell on `input`, keeps its new state, returns its h (the next layer's input). */
    cell(input: ArrayLike<number>, w: RnnWeights, l: number): ArrayLike<number>;
    /** What step t shows, read from the states. */
    read(t: number): R;
  },
): Stepper<R> {
  cells.init();
  return makeStepper(label, {
    backend: 'cpu',
    count,
    advance(t) {
      let input: ArrayLike<number> = stepInput(p, x.x, t);
      x.weights.forEach((w, l) => {
        input = cells.cell(input, w, l);
      });
      return cells.read(t);
    },
    reset: cells.init,
  });
}

/** What one family's cell stepper is: its kernel and dispatch builder, its states and extra outputs. */
export interface CellStepperSpec<S extends string> {
  label: string;
  /** Steps in all (the stepper's exported step count). */
  count: number;
  /** The cell (rnnStep.wgsl, lstmStep.wgsl), dispatched by cellStepDispatch. */
  kernel: Kernel;
  /** The recurrent states (h, c): bound as `s` (read) and `sOut` (written), (b, hidden) each per layer. */
  states: readonly S[];
  /** Initial states, (layers, b, hidden) each; null for zeros. */
  initial: Record<S, Float32Array | null>;
  /** A per-layer output the cell writes every step, bound by its name: (b, floats / b) per layer. */
  extra?: { name: string; floats: number };
}

/**
 * A GPU stepper over x (T, b, in) or (b, T, in); `state(t, all)` makes a step's state from the stacked
 * readback [every layer's first state | every layer's second state | … | every layer's extra output].
 */
export async function gpuCellStepper<S extends string, T>(
  gpu: Gpu,
  p: SequenceShape,
  x: { x: Float32Array; weights: readonly RnnWeights[] },
  spec: CellStepperSpec<S>,
  state: (t: number, all: Float32Array) => T,
): Promise<Stepper<T>> {
  const { label, states, extra } = spec;
  const { b, hidden: H, layers } = p;
  return buildInScope(gpu, label, async (scope) => {
    const xBuf = scope.upload('x', x.x);
    const w = uploadCellWeights(scope, x.weights);
    // Two buffers per state and layer, swapped every step: step t reads from [t % 2] and writes the other.
    const pair = (l: number, name: string) => [0, 1].map((i) => scope.storage(`${name}${l}${i}`, b * H * 4));
    const bufs = states.map((s) => w.map((_, l) => pair(l, s)));
    const extras = extra ? w.map((_, l) => scope.storage(`${extra.name}${l}`, extra.floats * 4)) : [];
    const h = bufs[0];
    // The dispatches of an even and an odd step, built once; a step only moves layer 0's x offset.
    const plans = [0, 1].map((cur) =>
      w.map((wl, l) =>
        cellStepDispatch(spec.kernel, scope, cellStepDims(p, l), {
          ...wl,
          x: l === 0 ? xBuf : h[l - 1][1 - cur],
          ...Object.fromEntries(
            states.flatMap((s, i) => [
              [s, bufs[i][l][cur]],
              [`${s}Out`, bufs[i][l][1 - cur]],
            ]),
          ),
          ...(extra ? { [extra.name]: extras[l] } : {}),
        }),
      ),
    );
    const init = () => {
      const zeros = new Float32Array(b * H);
      for (let l = 0; l < layers; l++)
        states.forEach((s, i) => {
          const part = spec.initial[s]?.subarray(l * b * H, (l + 1) * b * H) ?? zeros;
          gpu.device.queue.writeBuffer(bufs[i][l][0], 0, part);
        });
    };
    init();
    return makeStepper(label, {
      backend: 'webgpu',
      count: spec.count,
      async advance(t) {
        const plan = plans[t % 2];
        plan[0].params.set({ xOff: stepInputAt(p, t).xOff });
        await runDispatches(gpu, label, plan);
        const next = (t + 1) % 2;
        const all = await readStacked(gpu, label, [
          ...bufs.flatMap((perLayer) => perLayer.map((bl) => ({ buf: bl[next], n: b * H }))),
          ...extras.map((buf) => ({ buf, n: extra?.floats ?? 0 })),
        ]);
        return state(t, all);
      },
      reset: init,
      free: () => scope.release(),
    });
  });
}
