// The URL is the state: ?stage=ssm&L=64&N=8&dt=0.1&disc=zoh&signal=step&k=12 restores one exact view, with
// the reader's language and theme when they chose one. Pure parse/serialize with a notice for every
// malformed value (quoting at most 80 characters of it); writing to history lives in runtime/urlSync.ts.

import { isLang, type Lang } from './i18n';
import {
  type BuiltStage,
  checkParam,
  defaultParams,
  type Notice,
  type ParamValue,
  type ParamValues,
} from './stages/types';

export const THEMES = ['light', 'dark', 'projector'] as const;
export type Theme = (typeof THEMES)[number];

export interface UrlState {
  stageId: string;
  params: Record<string, ParamValue>;
  k: number;
  forceCpu: boolean;
  /** Only when the reader (or the link) chose them; otherwise the browser's. */
  lang?: Lang | null;
  theme?: Theme | null;
}

export interface ParsedUrl extends UrlState {
  lang: Lang | null;
  theme: Theme | null;
  /** One notice per malformed value, each saying what was used instead. */
  messages: Notice[];
}

/** A value as a notice quotes it: JSON-quoted, cut to 80 characters with an ellipsis. */
export function quote(raw: string, max = 80): string {
  const cut = raw.length > max ? `${raw.slice(0, max)}…` : raw;
  return JSON.stringify(cut);
}

/** Reads a query string against the built stages. Every malformed value falls back to its default alone. */
export function parseSearch(
  search: string,
  stages: readonly BuiltStage[],
  coming: readonly { id: string }[] = [],
): ParsedUrl {
  const q = new URLSearchParams(search.length > 100_000 ? search.slice(0, 100_000) : search);
  const messages: Notice[] = [];
  const fallback = stages[0];
  let stage = fallback;
  const stageId = q.get('stage');
  if (stageId !== null) {
    const found = stages.find((s) => s.id === stageId);
    if (found) stage = found;
    else
      messages.push(
        coming.some((s) => s.id === stageId)
          ? { key: 'notice.coming', values: { stage: stageId, fallback: fallback.id } }
          : { key: 'notice.unknownStage', values: { raw: quote(stageId), fallback: fallback.id } },
      );
  }

  const params = defaultParams(stage.params);
  for (const spec of stage.params) {
    const raw = q.get(spec.key);
    if (raw === null) continue;
    const value = spec.kind === 'number' ? parseNumber(raw) : raw;
    const checked = checkParam(spec, value);
    if (checked.ok) params[spec.key] = checked.value;
    else
      messages.push({
        key: 'notice.param',
        values: { param: spec.key, raw: quote(raw), reason: checked.reason.key, ...checked.reason.values },
      });
  }

  let k = 0;
  const rawK = q.get('k');
  if (rawK !== null) {
    const n = stage.runtime.steps(params);
    const v = parseNumber(rawK);
    if (Number.isInteger(v) && v >= 0 && v <= n) k = v;
    else messages.push({ key: 'notice.step', values: { raw: quote(rawK), n } });
  }

  let forceCpu = false;
  const backend = q.get('backend');
  if (backend === 'cpu') forceCpu = true;
  else if (backend !== null && backend !== 'auto' && backend !== 'webgpu')
    messages.push({ key: 'notice.backend', values: { raw: quote(backend) } });

  const rawLang = q.get('lang');
  const lang = isLang(rawLang) ? rawLang : null;
  if (rawLang !== null && !lang) messages.push({ key: 'notice.lang', values: { raw: quote(rawLang) } });
  const rawTheme = q.get('theme');
  const theme = (THEMES as readonly string[]).includes(rawTheme ?? '') ? (rawTheme as Theme) : null;
  if (rawTheme !== null && !theme) messages.push({ key: 'notice.theme', values: { raw: quote(rawTheme) } });

  return { stageId: stage.id, params, k, forceCpu, lang, theme, messages };
}

/** A strict number parser: "", "1e", "0x10" and " 3" are not numbers here. */
export function parseNumber(raw: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return Number.NaN;
  return Number(raw);
}

/** The query string for a state: stage, params in spec order, k (for stages that step), then choices. */
export function buildSearch(state: UrlState, stage: BuiltStage): string {
  const q = new URLSearchParams();
  q.set('stage', state.stageId);
  for (const spec of stage.params) {
    const v: ParamValue | undefined = (state.params as ParamValues)[spec.key];
    if (v !== undefined) q.set(spec.key, String(v));
  }
  if (stage.playback) q.set('k', String(state.k));
  if (state.forceCpu) q.set('backend', 'cpu');
  if (state.lang) q.set('lang', state.lang);
  if (state.theme) q.set('theme', state.theme);
  return `?${q.toString()}`;
}
