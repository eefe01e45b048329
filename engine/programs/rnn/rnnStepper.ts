// The RNN stepper: one time step of a multi-layer Elman RNN per call (one cell dispatch per layer), reading
// back h_t of every layer. For the animated step-by-step view at small sizes; the CPU backend steps the
// float64 reference when there is no GPU.

import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { rnnStep } from '../../reference/rnn';
import { type ElmanInputs, type ElmanParams, validateElman } from './elmanRnn';
import { rnnStepDispatch, rnnStepKernel } from './rnnStep';

export interface RnnStep {
  /** The step just taken, 0-based. */
  t: number;
  h: Float32Array; // (layers, b, hidden) h_t of every layer
  y: Float32Array; // (b, hidden) the top layer's h_t, the output at t
}

export interface RnnStepper {
  readonly backend: 'webgpu' | 'cpu';
  readonly T: number;
  /** Steps taken so far (0 before the first step). */
  readonly t: number;
  /** Advances one time step through every layer and reads back h_t. Throws past T. */
  step(): Promise<RnnStep>;
  /** Back to h0 (or zeros). */
  reset(): void;
  dispose(): void;
}

/** Where x_t of sample n starts: x[xOff + n·xStride]. */
function xAt(p: ElmanParams, t: number) {
  return p.batchFirst
    ? { xOff: t * p.inSize, xStride: p.T * p.inSize }
    : { xOff: t * p.b * p.inSize, xStride: p.inSize };
}

function cpuStepper(p: ElmanParams, x: ElmanInputs): RnnStepper {
  const { b, hidden, layers } = p;
  const h = new Float64Array(layers * b * hidden);
  let t = 0;
  const reset = () => {
    t = 0;
    h.fill(0);
    if (x.h0) h.set(x.h0);
  };
  reset();
  return {
    backend: 'cpu',
    T: p.T,
    get t() {
      return t;
    },
    async step() {
      if (t >= p.T) throw new EngineError('rnnStepper', `already at the last step (T = ${p.T})`);
      const { xOff, xStride } = xAt(p, t);
      let input: ArrayLike<number> = Float64Array.from(
        { length: b * p.inSize },
        (_, e) => x.x[xOff + Math.floor(e / p.inSize) * xStride + (e % p.inSize)],
      );
      x.weights.forEach((w, l) => {
        const inSize = l === 0 ? p.inSize : hidden;
        const next = rnnStep(
          input,
          h.subarray(l * b * hidden, (l + 1) * b * hidden),
          w,
          b,
          inSize,
          hidden,
          p.nonlinearity,
        );
        h.set(next, l * b * hidden);
        input = next;
      });
      const hf = Float32Array.from(h);
      return { t: t++, h: hf, y: hf.slice((layers - 1) * b * hidden) };
    },
    reset,
    dispose() {},
  };
}

/** A stepper on the GPU when `gpu` is usable, else on the CPU. */
export async function createRnnStepper(gpu: Gpu | null, p: ElmanParams, x: ElmanInputs): Promise<RnnStepper> {
  const label = 'rnnStepper';
  validateElman(label, p, x);
  if (gpu?.status !== 'ok') return cpuStepper(p, x);
  const { b, hidden, layers } = p;
  const k = await rnnStepKernel(gpu, p.nonlinearity ?? 'tanh');
  const scope = new BufferScope(gpu, label);
  try {
    const xBuf = scope.upload('x', x.x);
    const w = x.weights.map((wl, l) => ({
      Wih: scope.upload(`Wih${l}`, wl.Wih),
      Whh: scope.upload(`Whh${l}`, wl.Whh),
      bih: wl.bih ? scope.upload(`bih${l}`, wl.bih) : null,
      bhh: wl.bhh ? scope.upload(`bhh${l}`, wl.bhh) : null,
    }));
    // Two h buffers per layer, swapped every step: h_{t−1} is read while h_t is written.
    const hBuf = Array.from({ length: layers }, (_, l) => [
      scope.storage(`h${l}a`, b * hidden * 4),
      scope.storage(`h${l}b`, b * hidden * 4),
    ]);
    let t = 0;
    const reset = () => {
      t = 0;
      for (let l = 0; l < layers; l++) {
        const init = x.h0
          ? x.h0.subarray(l * b * hidden, (l + 1) * b * hidden)
          : new Float32Array(b * hidden);
        gpu.device.queue.writeBuffer(hBuf[l][0], 0, init);
      }
    };
    reset();
    return {
      backend: 'webgpu',
      T: p.T,
      get t() {
        return t;
      },
      async step() {
        if (t >= p.T) throw new EngineError(label, `already at the last step (T = ${p.T})`);
        const cur = t % 2;
        const nxt = 1 - cur;
        const stepScope = new BufferScope(gpu, `${label}.t${t}`);
        try {
          const dispatches = w.map((wl, l) =>
            rnnStepDispatch(
              k,
              stepScope,
              l === 0
                ? { b, inSize: p.inSize, hidden, ...xAt(p, t) }
                : { b, inSize: hidden, hidden, xOff: 0, xStride: hidden },
              { ...wl, x: l === 0 ? xBuf : hBuf[l - 1][nxt], h: hBuf[l][cur], out: hBuf[l][nxt] },
            ),
          );
          await runDispatches(gpu, label, dispatches);
        } finally {
          stepScope.release();
        }
        const h = new Float32Array(layers * b * hidden);
        for (let l = 0; l < layers; l++) h.set(await readF32(gpu, hBuf[l][nxt], b * hidden), l * b * hidden);
        return { t: t++, h, y: h.slice((layers - 1) * b * hidden) };
      },
      reset,
      dispose: () => scope.release(),
    };
  } catch (err) {
    scope.release();
    throw err;
  }
}
