// The `rnn` stage's stepper: the family's Elman RNN and LSTM steppers side by side on the same batch of 2
// (the sentence, the perturbed sentence), one time step of both per call: h_t of the Elman RNN, h_t, c_t and
// the four gates of the LSTM, each for both samples, and their distances. Also the pure step count and the
// cost of one token, which does not grow with t.

import type { Gpu } from '../gpu/device';
import { createLstmStepper } from '../programs/rnn/lstmStepper';
import { createRnnStepper } from '../programs/rnn/rnnStepper';
import { makeStepper, type Stepper } from '../programs/program';
import {
  checkRnnInputs,
  type RnnStageInputs,
  type RnnStageParams,
  stageTokens,
  stateDistance,
  validateRnnStageParams,
} from './rnnInputs';

/** One time step t (0-based) of both cells, for the sentence (sample 0) and the perturbed one (1). */
export interface RnnStageStep {
  t: number;
  h: Float32Array; // (2, H) the Elman RNN's h_t
  lstmH: Float32Array; // (2, H) the LSTM's h_t
  c: Float32Array; // (2, H) the LSTM's c_t
  gates: Float32Array; // (2, 4H) σ(i), σ(f), tanh(g), σ(o) of step t
  dh: number; // ‖h'_t − h_t‖, Elman
  dhLstm: number; // ‖h'_t − h_t‖, LSTM
  dc: number; // ‖c'_t − c_t‖
}
export type RnnStageStepper = Stepper<RnnStageStep>;

/** Playback steps: one per token. */
export const stepCount = (p: Pick<RnnStageParams, 'text'>): number => stageTokens(p).length;

/**
 * What one generated token costs each cell per sample, whatever t is: multiply-adds of the step
 * (gates·H·(d + H)), the weights it reads and the state it carries (floats). Attention's grows with t.
 */
export function costPerToken(p: Pick<RnnStageParams, 'H' | 'd'>) {
  const cell = (gates: number, states: number) => ({
    macs: gates * p.H * (p.d + p.H),
    weights: gates * p.H * (p.d + p.H + 2),
    state: states * p.H,
  });
  return { elman: cell(1, 1), lstm: cell(4, 2) };
}

/**
 * gpu null → the float64 CPU steppers; otherwise one cell dispatch of each family stepper per step, read
 * back after it. Both steppers run the same inputs as the batched program, from zero states.
 */
export async function createStepper(
  gpu: Gpu | null,
  p: RnnStageParams,
  x: RnnStageInputs,
): Promise<RnnStageStepper> {
  validateRnnStageParams(p);
  const s = checkRnnInputs(p, x);
  const H = s.hidden;
  const rnn = await createRnnStepper(gpu, s, { x: x.x, h0: null, weights: x.elman });
  let lstm: Awaited<ReturnType<typeof createLstmStepper>>;
  try {
    lstm = await createLstmStepper(gpu, s, { x: x.x, h0: null, c0: null, weights: x.lstm });
  } catch (err) {
    rnn.dispose();
    throw err;
  }
  // Both in flight together; neither left running when the other fails.
  const both = async <A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> => {
    const [ra, rb] = await Promise.allSettled([a, b]);
    if (ra.status === 'rejected') throw ra.reason;
    if (rb.status === 'rejected') throw rb.reason;
    return [ra.value, rb.value];
  };
  return makeStepper('rnnStageStepper', {
    backend: rnn.backend,
    count: s.T,
    async advance(t) {
      const [r, l] = await both(rnn.step(), lstm.step());
      return {
        t,
        h: r.h,
        lstmH: l.h,
        c: l.c,
        gates: l.gates,
        dh: stateDistance(r.h, H),
        dhLstm: stateDistance(l.h, H),
        dc: stateDistance(l.c, H),
      };
    },
    async reset() {
      await both(rnn.reset(), lstm.reset());
    },
    free() {
      rnn.dispose();
      lstm.dispose();
    },
  });
}
