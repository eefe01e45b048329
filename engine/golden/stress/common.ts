// Shared pieces of the stress cases: the golden JSON array encoding, float32 inputs from a seeded Rng,
// softplus/silu as torch defines them, complex helpers, and the case constructor.

import { Rng } from '../../util/rng';

export { Rng };

export interface RawArray {
  shape: number[];
  dtype: 'float64' | 'complex128';
  data?: Array<number | string>;
  real?: Array<number | string>;
  imag?: Array<number | string>;
}

export interface StressCase {
  name: string;
  ref_function: string;
  semantics: string;
  seed: number;
  params: Record<string, unknown>;
  inputs: Record<string, RawArray>;
  outputs: Record<string, RawArray>;
}

export type Arr = ArrayLike<number>;

export const enc = (v: number): number | string =>
  Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;
export const real = (shape: number[], d: Arr): RawArray => ({
  shape,
  dtype: 'float64',
  data: Array.from(d, enc),
});
export const cplx = (shape: number[], re: Arr, im: Arr): RawArray => ({
  shape,
  dtype: 'complex128',
  real: Array.from(re, enc),
  imag: Array.from(im, enc),
});
export const f = Math.fround;
export const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
export const silu = (x: number) => x / (1 + Math.exp(-x));

/** n float32 normals times `scale` plus `shift` (rounded to float32). */
export function vals(r: Rng, n: number, scale = 1, shift = 0): Float64Array {
  return Float64Array.from(r.normals(n, scale), (v) => f(v + shift));
}
export function unif(r: Rng, n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from(r.uniforms(n, lo, hi));
}
/** Sets about one value in `every` to just above `value` (e.g. past the softplus threshold of 20). */
export function heat(r: Rng, a: Float64Array, every: number, value: number): Float64Array {
  for (let i = Math.floor(r.next() * every); i < a.length; i += every) a[i] = f(value + r.next());
  return a;
}

export type Cx = [number, number];
export const cmul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
export const cdiv = (a: Cx, b: Cx): Cx => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
export const cexp = (a: Cx): Cx => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];
export const cpow = (a: Cx, l: number): Cx => {
  const r = Math.hypot(a[0], a[1]) ** l;
  const t = Math.atan2(a[1], a[0]) * l;
  return [r * Math.cos(t), r * Math.sin(t)];
};

/** What a case holds besides its names and seed. */
export type CaseData = [
  params: Record<string, unknown>,
  inputs: Record<string, RawArray>,
  outputs: Record<string, RawArray>,
];

export function mk(fn: string, name: string, seed: number, semantics: string, ...data: CaseData): StressCase {
  const [params, inputs, outputs] = data;
  return { name: `stress_${name}`, ref_function: `ref.${fn}`, semantics, seed, params, inputs, outputs };
}
