// Named float64 tensors for the stress cases of the eight vectors2 functions (issue 7): each generator's
// independent float64 code takes and returns these, so the same function builds the stress cases and,
// in vectors2.test.ts, recomputes the public vectors2 cases from their inputs.

import { f, type RawArray, type Rng, type StressCase, mk, real, unif, vals } from './common';

export interface Tensor {
  shape: number[];
  data: Float64Array;
}
export type Tensors = Record<string, Tensor>;
export type Params = Record<string, unknown>;

export const tensor = (shape: number[], data: ArrayLike<number>): Tensor => ({
  shape,
  data: Float64Array.from(data),
});

/** Reads a golden JSON array ("inf", "-inf", "nan" strings included) as a Tensor. */
export function fromRaw(a: RawArray): Tensor {
  const num = (v: number | string) =>
    typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number.NaN;
  return { shape: a.shape, data: Float64Array.from(a.data ?? [], num) };
}
export function fromRawAll(r: Record<string, RawArray>): Tensors {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromRaw(v)]));
}
function toRaw(t: Tensors): Record<string, RawArray> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, real(v.shape, v.data)]));
}

/** A stress case from tensors; `compute` gives the expected outputs from exactly the stored inputs. */
export function caseOf(
  fn: string,
  name: string,
  seed: number,
  semantics: string,
  params: Params,
  inputs: Tensors,
  compute: (inputs: Tensors, params: Params) => Tensors,
): StressCase {
  return mk(fn, name, seed, semantics, params, toRaw(inputs), toRaw(compute(inputs, params)));
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** What the specs of the block cases (mambaBlock.ts, mamba2Block.ts) share. */
export interface BlockSpec {
  name: string;
  seed: number;
  b: number;
  L: number;
  dm: number;
  /** in_proj and out_proj biases. */
  bias: boolean;
  convBias: boolean;
  /** module: the module's init; threshold: dt + its bias around softplus's threshold of 20. */
  init: 'random' | 'module' | 'threshold';
}

/**
 * A block's weight init: with the module's, nn.Linear / nn.Conv1d uniform(±1/√fan_in); otherwise float32
 * normals of the same spread.
 */
export const blockWeights =
  (r: Rng, mod: boolean) =>
  (n: number, fanIn: number): Float64Array =>
    mod ? unif(r, n, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)) : vals(r, n, 1 / Math.sqrt(fanIn));

/** The module's dt bias: dt = max(1e-4, exp(U(log 1e-3, log 1e-1))) per channel, stored as softplus⁻¹(dt). */
export function moduleDtBias(r: Rng, n: number): Float64Array {
  const dt = Array.from({ length: n }, () =>
    Math.max(1e-4, Math.exp(r.uniform(Math.log(1e-3), Math.log(1e-1)))),
  );
  return Float64Array.from(dt, (v) => f(v + Math.log(-Math.expm1(-v))));
}
