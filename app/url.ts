// The URL is the state: ?stage=ssm&L=64&N=8&dt=0.1&disc=zoh&signal=step&k=12 restores one exact view.
// Pure parse/serialize with messages for malformed values; writing to history lives in runtime/urlSync.ts.

import {
  type BuiltStage,
  checkParam,
  defaultParams,
  type ParamValue,
  type ParamValues,
} from './stages/types';

export interface UrlState {
  stageId: string;
  params: Record<string, ParamValue>;
  k: number;
  forceCpu: boolean;
}

export interface ParsedUrl extends UrlState {
  /** One sentence per malformed value, each saying what was used instead. */
  messages: string[];
}

/** Reads a query string against the built stages. Every malformed value falls back to its default alone. */
export function parseSearch(
  search: string,
  stages: readonly BuiltStage[],
  coming: readonly { id: string; title: string }[] = [],
): ParsedUrl {
  const q = new URLSearchParams(search);
  const messages: string[] = [];
  const fallback = stages[0];
  let stage = fallback;
  const stageId = q.get('stage');
  if (stageId !== null) {
    const found = stages.find((s) => s.id === stageId);
    if (found) stage = found;
    else {
      const soon = coming.find((s) => s.id === stageId);
      messages.push(
        soon
          ? `The stage "${soon.title}" is coming but not built yet: showing "${fallback.title}" instead.`
          : `Unknown stage "${stageId}": showing "${fallback.title}" instead.`,
      );
    }
  }

  const params = defaultParams(stage.params);
  for (const spec of stage.params) {
    const raw = q.get(spec.key);
    if (raw === null) continue;
    const value = spec.kind === 'number' ? parseNumber(raw) : raw;
    const checked = checkParam(spec, value);
    if (checked.ok) params[spec.key] = checked.value;
    else
      messages.push(`Ignored ${spec.key}=${JSON.stringify(raw)}: ${checked.reason}. Using ${spec.default}.`);
  }

  let k = 0;
  const rawK = q.get('k');
  if (rawK !== null) {
    const n = stage.runtime.steps(params);
    const v = parseNumber(rawK);
    if (Number.isInteger(v) && v >= 0 && v <= n) k = v;
    else
      messages.push(
        `Ignored k=${JSON.stringify(rawK)}: the step must be a whole number from 0 to ${n}. Using 0.`,
      );
  }

  let forceCpu = false;
  const backend = q.get('backend');
  if (backend === 'cpu') forceCpu = true;
  else if (backend !== null && backend !== 'auto' && backend !== 'webgpu')
    messages.push(`Ignored backend=${JSON.stringify(backend)}: use "cpu" to force the CPU backend.`);

  return { stageId: stage.id, params, k, forceCpu, messages };
}

/** A strict number parser: "", "1e", "0x10" and " 3" are not numbers here. */
export function parseNumber(raw: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return Number.NaN;
  return Number(raw);
}

/** The query string for a state: stage, params in spec order, k, and backend only when forced. */
export function buildSearch(state: UrlState, stage: BuiltStage): string {
  const q = new URLSearchParams();
  q.set('stage', state.stageId);
  for (const spec of stage.params) {
    const v: ParamValue | undefined = (state.params as ParamValues)[spec.key];
    if (v !== undefined) q.set(spec.key, String(v));
  }
  q.set('k', String(state.k));
  if (state.forceCpu) q.set('backend', 'cpu');
  return `?${q.toString()}`;
}
