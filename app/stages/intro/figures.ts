// The intro table's rows and the stage's two live checks, derived from one result: the engine's outputs
// packed per model (MODELS order). Plain words for growth and parallelism are read off the measured
// numbers (first token against the last, state steps against L), never typed in.

import { introStage, maxAbs, maxAbsDiff } from '../../../engine';
import type { IntroResult } from './runtime';

export type ModelId = introStage.ModelId;
export const MODELS = introStage.MODELS;

export type Growth = 'constant' | 'grows';
/** How the training form's state steps relate to L: none, one per position, one per chunk of positions. */
export type Parallelism = 'none' | 'perPosition' | 'perChunk';

export interface ModelRow {
  id: ModelId;
  trainDispatches: number;
  seqSteps: number;
  parallelism: Parallelism;
  decodeDispatches: number;
  tokenBytesFirst: number;
  tokenBytes: number;
  tokenGrowth: Growth;
  stateBytesFirst: number;
  stateBytes: number;
  stateGrowth: Growth;
  /** max |generated − trained| over the model's L positions. */
  decodeErr: number;
  train: readonly string[];
  decode: readonly string[];
}

const slice = (a: ArrayLike<number>, i: number, n: number) =>
  Array.prototype.slice.call(a, i * n, (i + 1) * n) as number[];

/** Row i of a (6, n) output. */
export const modelSeries = (a: ArrayLike<number>, i: number, n: number): number[] => slice(a, i, n);

const growth = (first: number, last: number): Growth => (last > first ? 'grows' : 'constant');

export function modelRows(r: IntroResult): ModelRow[] {
  const { L } = r.params;
  const o = r.outputs;
  const n = L * introStage.INTRO_WIDTHS.d;
  return MODELS.map((id, i) => {
    const tok = slice(o.tokenBytes, i, L);
    const st = slice(o.stateBytes, i, L);
    const seqSteps = o.seqSteps[i];
    return {
      id,
      trainDispatches: o.trainDispatches[i],
      seqSteps,
      parallelism: seqSteps === 0 ? 'none' : seqSteps >= L ? 'perPosition' : 'perChunk',
      decodeDispatches: o.decodeDispatches[i],
      tokenBytesFirst: tok[0],
      tokenBytes: tok[L - 1],
      tokenGrowth: growth(tok[0], tok[L - 1]),
      stateBytesFirst: st[0],
      stateBytes: st[L - 1],
      stateGrowth: growth(st[0], st[L - 1]),
      decodeErr: maxAbsDiff(slice(o.yDecode, i, n), slice(o.yTrain, i, n)),
      train: introStage.PROGRAMS[id].train,
      decode: introStage.PROGRAMS[id].decode,
    };
  });
}

/** Every model's generated tokens against its training form, in the program's relative tolerance. */
export function decodeCheck(r: IntroResult): { maxErr: number; tolerance: number } {
  return {
    maxErr: maxAbsDiff(r.outputs.yDecode, r.outputs.yTrain),
    tolerance: r.tolerance * Math.max(1, maxAbs(r.outputs.yTrain)),
  };
}

/** The memory column (bytes bound for the state; on the CPU its closed form) against 4 B per float read back. */
export function memoryCheck(r: IntroResult): { maxErr: number; tolerance: number } {
  const { stateBytes, stateFloats } = r.outputs;
  let maxErr = stateBytes.length === stateFloats.length ? 0 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < stateBytes.length; i++)
    maxErr = Math.max(maxErr, Math.abs(stateBytes[i] - 4 * stateFloats[i]));
  return { maxErr, tolerance: 0 };
}
