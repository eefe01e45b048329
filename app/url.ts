// The URL is the state: ?stage=ssm&L=64&N=8&dt=0.1&disc=zoh&signal=step&k=12 restores one exact view, with
// the reader's language and theme when they chose one. Pure parse/serialize with a notice for every
// malformed value (quoting at most 80 characters of it); writing to history lives in runtime/urlSync.ts.

import { isLang, type Lang } from './i18n/langs';
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
  embedding?: EmbedOptions;
}

/** How the page is embedded (issue 10): chrome, the stages offered, who may talk to it. */
export interface EmbedOptions {
  /** `embed=1`: one stage, no site chrome, sized to its iframe. */
  embed: boolean;
  /** `stages=a,b`: navigation limited to these built stages (null: all). */
  stages: string[] | null;
  /** `parentOrigin=`: the only origin obeyed and posted to. */
  parentOrigin: string | null;
  /** `statements=1`: post xAPI-style statements to the parent. */
  statements: boolean;
}

export interface ParsedUrl extends UrlState {
  lang: Lang | null;
  theme: Theme | null;
  embedding: EmbedOptions;
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

  const embedding = parseEmbedding(q, stages, messages);
  if (embedding.stages && !embedding.stages.includes(stage.id)) {
    const first = stages.find((s) => s.id === embedding.stages?.[0]);
    if (first) {
      const again = parseSearch(`?${withStage(q, first.id)}`, stages, coming);
      return {
        ...again,
        messages: [
          ...again.messages,
          { key: 'notice.notInStages', values: { stage: stage.id, fallback: first.id } },
        ],
      };
    }
  }
  return { stageId: stage.id, params, k, forceCpu, lang, theme, embedding, messages };
}

function withStage(q: URLSearchParams, id: string): string {
  const next = new URLSearchParams(q);
  next.set('stage', id);
  for (const key of ['k']) next.delete(key);
  return next.toString();
}

function parseEmbedding(q: URLSearchParams, stages: readonly BuiltStage[], messages: Notice[]): EmbedOptions {
  const flag = (key: string) => {
    const raw = q.get(key);
    if (raw === null || raw === '0') return false;
    if (raw === '1') return true;
    messages.push({ key: 'notice.flag', values: { param: key, raw: quote(raw) } });
    return false;
  };
  const embed = flag('embed');
  const statements = flag('statements');
  let list: string[] | null = null;
  const rawStages = q.get('stages');
  if (rawStages !== null) {
    const ids = rawStages.split(',').map((s) => s.trim());
    const known = ids.filter((id) => stages.some((s) => s.id === id));
    if (known.length !== ids.length || known.length === 0)
      messages.push({ key: 'notice.stages', values: { raw: quote(rawStages) } });
    list = known.length > 0 ? [...new Set(known)] : null;
  }
  const rawOrigin = q.get('parentOrigin');
  const parentOrigin = parseOrigin(rawOrigin);
  if (rawOrigin !== null && !parentOrigin)
    messages.push({ key: 'notice.origin', values: { raw: quote(rawOrigin) } });
  return { embed, stages: list, parentOrigin, statements };
}

/** An origin as `parentOrigin=` may name it (scheme://host[:port], nothing else), or null. */
export function parseOrigin(raw: string | null): string | null {
  if (!raw || raw.length > 200) return null;
  try {
    const u = new URL(raw);
    return u.origin !== 'null' && u.origin === raw.replace(/\/$/, '') ? u.origin : null;
  } catch {
    return null;
  }
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
  const e = state.embedding;
  if (e?.embed) q.set('embed', '1');
  if (e?.stages) q.set('stages', e.stages.join(','));
  if (e?.parentOrigin) q.set('parentOrigin', e.parentOrigin);
  if (e?.statements) q.set('statements', '1');
  return `?${q.toString()}`;
}
