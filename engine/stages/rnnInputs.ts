// The `rnn` stage's parameters and inputs: the reader's sentence as tokens (engine/util/tokens.ts) and a
// seeded embedding, the batch of 2 (the sentence, and the sentence with x_{t0} moved by ε along a seeded
// unit direction), both cells' seeded weights, the ranges the stage accepts, and the distance of two
// states. Shared by the program (rnn.ts) and the stepper (rnnStepper.ts).

import { EngineError } from '../gpu/errors';
import { embedTokens, MAX_TOKENS, tokenize } from '../util/tokens';
import { Rng } from '../util/rng';
import { initLayer, type RnnWeights, type SequenceShape } from '../programs/rnn/common';
import { validateElman } from '../programs/rnn/elmanRnn';
import { validateLstm } from '../programs/rnn/lstm';
import type { Host } from '../programs/program';
import { checkLengths, checkRanges } from './common';

export interface RnnStageParams {
  /** The reader's sentence; its tokens (at most LIMITS.T) are the inputs x_0 … x_{T−1}. */
  text: string;
  /** Hidden size H of both cells. */
  H: number;
  /** Input size d: the embedding width. */
  d: number;
  /** ε: how far the perturbed run moves x_{t0} (a seeded unit direction v, so ‖x'_{t0} − x_{t0}‖ = ε). */
  eps: number;
  /** Which input is perturbed, 0-based (< T). */
  t0: number;
  /** The LSTM forget gate's bias b_f (b_ih + b_hh of the f rows); 1 when absent (Jozefowicz et al. 2015). */
  bf?: number;
}

/** Samples in the batch: 0 the sentence, 1 the sentence with x_{t0} perturbed. */
export const SAMPLES = 2;
export const DEFAULT_FORGET_BIAS = 1;

export const RNN_STAGE_LIMITS = {
  H: [1, 64],
  d: [1, 64],
  T: [1, MAX_TOKENS],
  eps: [0, 10],
  bf: [-5, 5],
  seed: [0, 2 ** 31 - 1],
} as const;

export interface RnnStageInputs {
  tokens: string[]; // (T,) the sentence's tokens
  x: Float32Array; // (T, 2, d) row (t, 0): token t's embedding; row (t, 1): the same, x_{t0} + ε v
  v: Float32Array; // (d,) the unit direction of the perturbation
  elman: RnnWeights[]; // one layer: W_ih (H, d), W_hh (H, H), b_ih, b_hh (H,)
  lstm: RnnWeights[]; // one layer: W_ih (4H, d), W_hh (4H, H), b_ih, b_hh (4H,), gates i, f, g, o
}

export type RnnStageOutputs = {
  h: Host; // (T, 2, H) the Elman RNN's h_t, sentence then perturbed sentence
  lstmH: Host; // (T, 2, H) the LSTM's h_t
  cN: Host; // (2, H) the LSTM's last cell state c_{T−1}
  dh: Host; // (T,) ‖h'_t − h_t‖ of the Elman RNN
  dhLstm: Host; // (T,) ‖h'_t − h_t‖ of the LSTM
};

export const LABEL = 'rnnStage';
const bad = (detail: string): never => {
  throw new EngineError(LABEL, detail);
};

/** The tokens the stage runs on: the sentence's first LIMITS.T. */
export const stageTokens = (p: Pick<RnnStageParams, 'text'>): string[] =>
  tokenize(typeof p.text === 'string' ? p.text : '', RNN_STAGE_LIMITS.T[1]);

/** Throws an EngineError naming the first parameter outside the stage's ranges. */
export function validateRnnStageParams(p: RnnStageParams): void {
  if (typeof p.text !== 'string') bad(`text must be a string (got ${typeof p.text})`);
  const T = stageTokens(p).length;
  if (T < 1) bad('text must have at least one word or mark');
  checkRanges(LABEL, { H: RNN_STAGE_LIMITS.H, d: RNN_STAGE_LIMITS.d }, p);
  const { eps, bf } = RNN_STAGE_LIMITS;
  if (!(p.eps >= eps[0] && p.eps <= eps[1])) bad(`eps must be in ${eps[0]}..${eps[1]} (got ${p.eps})`);
  if (!Number.isInteger(p.t0) || p.t0 < 0 || p.t0 >= T)
    bad(`t0 must be an integer in 0..${T - 1}, a position in the ${T} tokens (got ${p.t0})`);
  const b = p.bf ?? DEFAULT_FORGET_BIAS;
  if (!(b >= bf[0] && b <= bf[1])) bad(`bf must be in ${bf[0]}..${bf[1]} (got ${p.bf})`);
}

/** The family's sequence shape of both cells: T tokens, the batch of 2, one layer. */
export function stageShape(p: RnnStageParams): SequenceShape {
  return { T: stageTokens(p).length, b: SAMPLES, inSize: p.d, hidden: p.H, layers: 1 };
}

export function checkRnnInputs(p: RnnStageParams, x: RnnStageInputs): SequenceShape {
  const s = stageShape(p);
  const tokens = stageTokens(p);
  if (x.tokens.length !== s.T || x.tokens.some((tok, t) => tok !== tokens[t]))
    bad(`inputs were made for other tokens than the text's ${s.T}`);
  checkLengths(LABEL, [['v', x.v, p.d]]);
  validateElman(LABEL, s, { x: x.x, h0: null, weights: x.elman });
  validateLstm(LABEL, s, { x: x.x, h0: null, c0: null, weights: x.lstm });
  return s;
}

/**
 * Seeded inputs: the tokens' embedding (embedTokens, `seed`), the perturbation's direction v, torch's
 * default init U(−1/√H, 1/√H) for both cells, and the LSTM's forget rows biased to b_f in all (b_ih = b_f,
 * b_hh = 0), the usual init that lets c keep what it holds.
 */
export function makeRnnInputs(p: RnnStageParams, seed: number): RnnStageInputs {
  validateRnnStageParams(p);
  const [lo, hi] = RNN_STAGE_LIMITS.seed;
  if (!Number.isInteger(seed) || seed < lo || seed > hi)
    bad(`seed must be an integer in ${lo}..${hi} (got ${seed})`);
  const { d, H } = p;
  const tokens = stageTokens(p);
  const e = embedTokens(tokens, d, seed); // (T, d)
  const rng = new Rng(seed);
  const dir = rng.normals(d);
  const norm = Math.hypot(...dir) || 1;
  const v = dir.map((a) => a / norm);
  const x = new Float32Array(tokens.length * SAMPLES * d);
  tokens.forEach((_, t) => {
    const row = e.subarray(t * d, (t + 1) * d);
    x.set(row, 2 * t * d);
    x.set(t === p.t0 ? row.map((a, i) => a + p.eps * v[i]) : row, (2 * t + 1) * d);
  });
  const elman = initLayer(rng, H, d, H);
  const lstm = initLayer(rng, 4 * H, d, H);
  const bih = lstm.bih as Float32Array;
  const bhh = lstm.bhh as Float32Array;
  bih.fill(p.bf ?? DEFAULT_FORGET_BIAS, H, 2 * H);
  bhh.fill(0, H, 2 * H);
  return { tokens, x, v, elman: [elman], lstm: [lstm] };
}

/** ‖h'_t − h_t‖ for every t of a (T, 2, H) pair of runs. */
export function distances(hs: ArrayLike<number>, T: number, H: number): Float64Array {
  return Float64Array.from({ length: T }, (_, t) => stateDistance(hs, H, 2 * t * H));
}

/** ‖b − a‖ for a (2, H) pair [a | b] that starts at `at`. */
export function stateDistance(pair: ArrayLike<number>, H: number, at = 0): number {
  let s = 0;
  for (let j = 0; j < H; j++) {
    const q = pair[at + H + j] - pair[at + j];
    s += q * q;
  }
  return Math.sqrt(s);
}
