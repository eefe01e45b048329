// The shape of a stage definition and its parameter specs. Params are plain JSON (numbers and strings) so
// they live in the URL; this file holds only types and the pure helpers that read specs.

import type { ComponentType } from 'react';
import type { Gpu, Stepper } from '../../engine';

export interface NumberParamSpec {
  kind: 'number';
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  default: number;
}

export interface ChoiceParamSpec {
  kind: 'choice';
  key: string;
  label: string;
  options: readonly { value: string; label: string }[];
  default: string;
}

export type ParamSpec = NumberParamSpec | ChoiceParamSpec;
export type ParamValue = number | string;
export type ParamValues = Readonly<Record<string, ParamValue>>;

/** What a stage's runtime needs from the engine: one batched run and (optionally) a step-by-step runner. */
export interface StageRuntime<R = unknown, S = unknown> {
  /** Runs the stage's program (GPU when `gpu` is given and usable, else the CPU reference). */
  run(gpu: Gpu | null, params: ParamValues): Promise<R & { backend: 'webgpu' | 'cpu' }>;
  /** The engine's stepper that produces playback step k+1 from step k, reading every value back. */
  createStepper(gpu: Gpu | null, params: ParamValues, result: R): Promise<Stepper<S>>;
  /** Number of playback steps for these params: the engine's step count, never re-derived here. */
  steps(params: ParamValues): number;
}

export interface BuiltStage {
  status: 'built';
  id: string;
  title: string;
  /** Named TeX snippets shared by the prose and the diagrams. */
  tex: Readonly<Record<string, string>>;
  Prose: ComponentType;
  Diagram: ComponentType;
  /** The engine program the stage shows (id and title, for the badge and the docs). */
  program: { id: string; title: string };
  params: readonly ParamSpec[];
  runtime: StageRuntime;
}

export interface ComingStage {
  status: 'coming';
  id: string;
  title: string;
}

export type StageEntry = BuiltStage | ComingStage;

/** A choice spec whose option labels are the values themselves unless given. */
export function choiceSpec(
  key: string,
  label: string,
  values: readonly (string | { value: string; label: string })[],
  defaultValue = typeof values[0] === 'string' ? values[0] : values[0].value,
): ChoiceParamSpec {
  const options = values.map((v) => (typeof v === 'string' ? { value: v, label: v } : v));
  return { kind: 'choice', key, label, options, default: defaultValue };
}

export function isIntegerSpec(spec: NumberParamSpec): boolean {
  return Number.isInteger(spec.step) && Number.isInteger(spec.min);
}

export function defaultParams(specs: readonly ParamSpec[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const s of specs) out[s.key] = s.default;
  return out;
}

/** Checks one value against its spec; returns a reason in words when it does not fit. */
export function checkParam(
  spec: ParamSpec,
  value: unknown,
): { ok: true; value: ParamValue } | { ok: false; reason: string } {
  if (spec.kind === 'choice') {
    if (typeof value === 'string' && spec.options.some((o) => o.value === value)) return { ok: true, value };
    return {
      ok: false,
      reason: `${spec.label} must be one of ${spec.options.map((o) => o.value).join(', ')}`,
    };
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, reason: `${spec.label} must be a number` };
  if (value < spec.min || value > spec.max)
    return { ok: false, reason: `${spec.label} must be between ${spec.min} and ${spec.max}` };
  if (isIntegerSpec(spec) && !Number.isInteger(value))
    return { ok: false, reason: `${spec.label} must be a whole number` };
  return { ok: true, value };
}
