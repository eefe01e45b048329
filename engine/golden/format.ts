// Reading golden vector files (../shared/golden/README.md): real arrays, complex arrays (separate real
// and imaginary parts), non-finite values written as strings.

import type { Gpu } from '../gpu/device';

export interface GArray {
  shape: number[];
  dtype: string;
  data: Float64Array;
  /** Imaginary part, for complex128. */
  imag?: Float64Array;
}

export interface GoldenCase {
  file: string;
  name: string;
  fn: string;
  params: Record<string, unknown>;
  inputs: Record<string, GArray>;
  outputs: Record<string, GArray>;
}

/** What an adapter returns per output name: a real array, or {data, imag} for complex outputs. */
export type GoldenValue = ArrayLike<number> | { data: ArrayLike<number>; imag?: ArrayLike<number> };
export type GoldenOutputs = Record<string, GoldenValue>;

export function asParts(v: GoldenValue): { data: ArrayLike<number>; imag?: ArrayLike<number> } {
  return 'data' in v && typeof v.data === 'object'
    ? (v as { data: ArrayLike<number> })
    : { data: v as ArrayLike<number> };
}

export interface GoldenAdapter {
  cpu(c: GoldenCase): GoldenOutputs;
  gpu(gpu: Gpu, c: GoldenCase): Promise<GoldenOutputs>;
  /** Relative tolerance for this case (default 1e-4). */
  tolerance?(c: GoldenCase): number;
}

type RawArray = { shape: number[]; dtype: string; data?: unknown[]; real?: unknown[]; imag?: unknown[] };

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'inf' || v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-inf' || v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === 'nan' || v === 'NaN') return Number.NaN;
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

export function parseArray(raw: RawArray): GArray {
  if (raw.dtype === 'complex128') {
    return {
      shape: raw.shape,
      dtype: raw.dtype,
      data: Float64Array.from(raw.real ?? [], num),
      imag: Float64Array.from(raw.imag ?? [], num),
    };
  }
  return { shape: raw.shape, dtype: raw.dtype, data: Float64Array.from(raw.data ?? [], num) };
}

export function parseCase(file: string, json: unknown): GoldenCase {
  const j = json as {
    name: string;
    ref_function: string;
    params?: Record<string, unknown>;
    inputs?: Record<string, RawArray>;
    outputs?: Record<string, RawArray>;
  };
  if (!j || typeof j.ref_function !== 'string') throw new Error(`${file}: no ref_function`);
  const map = (o: Record<string, RawArray> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, parseArray(v)]));
  return {
    file,
    name: j.name ?? file,
    fn: j.ref_function.replace(/^ref\./, ''),
    params: j.params ?? {},
    inputs: map(j.inputs),
    outputs: map(j.outputs),
  };
}

/** Float32 copy of an input (inputs are float32-exact by construction). */
export function f32(a: GArray): Float32Array {
  return Float32Array.from(a.data);
}

export function param<T>(c: GoldenCase, key: string, fallback: T): T {
  const v = c.params[key];
  return v === undefined || v === null ? fallback : (v as T);
}
