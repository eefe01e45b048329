// The shape of a stage definition and its parameter specs. Params are plain JSON (numbers and strings) so
// they live in the URL; this file holds only types and the pure helpers that read specs.

import type { ComponentType } from 'react';
import type { DispatchRecord, Gpu, Stepper, Timeline } from '../../engine';

// A spec's label and option names are not here: they are the catalog entries `params.<key>.label` and
// `params.<key>.options.<value>` in the stage's namespace (app/locales/<lang>/<stage>.json).

export interface NumberParamSpec {
  kind: 'number';
  key: string;
  min: number;
  max: number;
  step: number;
  default: number;
}

export interface ChoiceParamSpec {
  kind: 'choice';
  key: string;
  options: readonly string[];
  default: string;
}

/** Free text (the reader's own sentence): at most maxLength characters, kept in the URL. */
export interface TextParamSpec {
  kind: 'text';
  key: string;
  maxLength: number;
  default: string;
}

export type ParamSpec = NumberParamSpec | ChoiceParamSpec | TextParamSpec;
export type ParamValue = number | string;
export type ParamValues = Readonly<Record<string, ParamValue>>;

/** What ran to produce a result: the GPU panel and the kernel view are built from it. */
export interface StageRan {
  backend: 'webgpu' | 'cpu';
  /** Every dispatch of the run, in order (none on the CPU backend). */
  dispatches: readonly DispatchRecord[];
  /** GPU time from timestamp queries, when the adapter has them. */
  gpuMs: number | null;
  /** HBM ↔ SRAM traffic, when the stage runs a traced program. */
  timeline: Timeline | null;
}

/** What every stage result carries, whatever else it holds. */
export interface StageResultBase {
  backend: 'webgpu' | 'cpu';
  ran: StageRan;
}

/**
 * What a stage's runtime needs from the engine. A runtime module imports only the engine and this file
 * (no React, no store): on the CPU backend it runs inside a Web Worker (app/runtime/cpuWorker.ts), and
 * results cross to the page by structured clone (plain objects and typed arrays).
 * One batched run and a step-by-step runner.
 */
export interface StageRuntime<R = unknown, S = unknown> {
  /** Runs the stage's program (GPU when `gpu` is given and usable, else the CPU reference). */
  run(gpu: Gpu | null, params: ParamValues): Promise<R & StageResultBase>;
  /** The engine's stepper that produces playback step k+1 from step k, reading every value back. */
  createStepper(gpu: Gpu | null, params: ParamValues, result: R): Promise<Stepper<S>>;
  /** Number of playback steps for these params: the engine's step count, never re-derived here. */
  steps(params: ParamValues): number;
  /**
   * The params clamped to what a GPU with these limits holds (the engine's largest binding for them), on
   * the WebGPU backend before each run; absent where nothing the reader sets can outgrow a device.
   */
  fit?(params: ParamValues, limits: DeviceLimits): SizeFit;
}

/** The device limits a fit reads (the engine's Gpu['limits']). */
export type DeviceLimits = Pick<Gpu['limits'], 'maxStorageBufferBindingSize' | 'maxBufferSize'>;

/** What a params set needs of the device and what is run instead when it needs more than the device has. */
export interface SizeFit {
  /** The params to run: the asked ones when they fit. */
  params: ParamValues;
  /** Each size made smaller, in the order they were tried. */
  clamped: Array<{ key: string; asked: ParamValue; shown: ParamValue }>;
  /** Bytes of the largest buffer the asked params need in one binding, and what the device allows. */
  needed: number;
  allowed: number;
  /** False when even the smallest sizes need more than the device has (the run then fails in words). */
  fits: boolean;
}

export interface BuiltStage {
  status: 'built';
  /** Also the stage's i18n namespace and its title's key (`common:stages.<id>.title`). */
  id: string;
  /** Named TeX snippets shared by the prose and the diagrams. */
  tex: Readonly<Record<string, string>>;
  Prose: ComponentType;
  Diagram: ComponentType;
  /** The engine program the stage shows (id and title, for the badge and the docs). */
  program: { id: string; title: string };
  params: readonly ParamSpec[];
  runtime: StageRuntime;
  /** False for stages with no step-by-step playback (intro, race): no controls, no counter. */
  playback: boolean;
  /**
   * One sentence on the state at step k for the live region, or null: `t` reads the stage's namespace,
   * `result` and `steps` are the store's (typed by the stage). Announced when the reader steps, never
   * while playing.
   */
  narrate?: (
    t: (key: string, values?: Record<string, unknown>) => string,
    k: number,
    result: unknown,
    steps: readonly unknown[],
  ) => string | null;
}

export interface ComingStage {
  status: 'coming';
  id: string;
}

export type StageEntry = BuiltStage | ComingStage;

export function choiceSpec(
  key: string,
  options: readonly string[],
  defaultValue = options[0],
): ChoiceParamSpec {
  return { kind: 'choice', key, options, default: defaultValue };
}

export function isIntegerSpec(spec: NumberParamSpec): boolean {
  return Number.isInteger(spec.step) && Number.isInteger(spec.min);
}

export function defaultParams(specs: readonly ParamSpec[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const s of specs) out[s.key] = s.default;
  return out;
}

/** A message for the reader: a catalog key (namespace `common`) and its values. */
export interface Notice {
  key: string;
  values?: Record<string, string | number>;
}

/** Checks one value against its spec; says why in a notice when it does not fit. */
export function checkParam(
  spec: ParamSpec,
  value: unknown,
): { ok: true; value: ParamValue } | { ok: false; reason: Notice } {
  if (spec.kind === 'choice') {
    if (typeof value === 'string' && spec.options.includes(value)) return { ok: true, value };
    return { ok: false, reason: { key: 'param.oneOf', values: { options: spec.options.join(', ') } } };
  }
  if (spec.kind === 'text') {
    if (typeof value === 'string' && value.length <= spec.maxLength && !hasControlChars(value))
      return { ok: true, value };
    return { ok: false, reason: { key: 'param.text', values: { max: spec.maxLength } } };
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, reason: { key: 'param.number' } };
  if (value < spec.min || value > spec.max)
    return { ok: false, reason: { key: 'param.range', values: { min: spec.min, max: spec.max } } };
  if (isIntegerSpec(spec) && !Number.isInteger(value)) return { ok: false, reason: { key: 'param.integer' } };
  return { ok: true, value };
}

/** Whether s has a C0 control character or DEL (never part of a sentence the reader typed). */
export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** s without its control characters. */
export function withoutControlChars(s: string): string {
  return Array.from(s)
    .filter((ch) => !hasControlChars(ch))
    .join('');
}

/** The values a size spec can take up to `value`, ascending: a number spec's steps, a choice's options. */
function sizesUpTo(spec: ParamSpec, value: ParamValue): ParamValue[] {
  if (spec.kind === 'choice') return spec.options.slice(0, spec.options.indexOf(String(value)) + 1);
  if (spec.kind !== 'number') return [value];
  const out: number[] = [];
  for (let i = 0; spec.min + i * spec.step <= Number(value); i++) out.push(spec.min + i * spec.step);
  return out;
}

/**
 * Clamps the sizes `keys` (in that order) until `needs(params)`, the largest binding in bytes, fits the
 * device: each key in turn to the largest value that fits with the others as they are (binary search:
 * needs grows with every size), the next only if the smallest value of this one is not enough.
 */
export function fitSizes(
  specs: readonly ParamSpec[],
  params: ParamValues,
  keys: readonly string[],
  needs: (p: ParamValues) => number,
  limits: DeviceLimits,
): SizeFit {
  const allowed = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const needed = needs(params);
  const p: Record<string, ParamValue> = { ...params };
  const clamped: SizeFit['clamped'] = [];
  for (const key of keys) {
    if (needs(p) <= allowed) break;
    const spec = specs.find((s) => s.key === key);
    if (!spec) continue;
    const values = sizesUpTo(spec, p[key]);
    if (values.length === 0) continue;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (needs({ ...p, [key]: values[mid] }) <= allowed) lo = mid;
      else hi = mid - 1;
    }
    if (values[lo] !== p[key]) clamped.push({ key, asked: p[key], shown: values[lo] });
    p[key] = values[lo];
  }
  return { params: clamped.length > 0 ? p : params, clamped, needed, allowed, fits: needs(p) <= allowed };
}
