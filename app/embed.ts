// The message API between a course page and an embedded Seqscope (documented in the README, schema in
// docs/embed-api.schema.json, generated from EmbedMessage below). Pure validation: a message is accepted
// whole or ignored whole with a reason (for one console warning); the wiring lives in
// runtime/embedBridge.ts. The payload of seqscope:setState is the URL's state shape.

import * as z from 'zod/mini';
import { LANGS } from './i18n/langs';
import { type BuiltStage, checkParam, defaultParams, type Notice, type ParamValue } from './stages/types';
import { THEMES } from './url';

const id = z.string().check(z.maxLength(40));
const value = z.union([
  z.number().check(z.refine(Number.isFinite, 'must be finite')),
  z.string().check(z.maxLength(500)),
]);

/** The state a page may set: the URL's shape (stage, its params, the step, language, theme). */
export const EmbedState = z.strictObject({
  stage: z.optional(id),
  params: z.optional(z.record(id, value)),
  k: z.optional(z.int().check(z.gte(0))),
  lang: z.optional(z.enum(LANGS)),
  theme: z.optional(z.enum(THEMES)),
});

/** Every message an embedded Seqscope accepts from its parent page. */
export const EmbedMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('seqscope:getState') }),
  z.strictObject({ type: z.literal('seqscope:setState'), state: EmbedState }),
  z.strictObject({ type: z.literal('seqscope:play') }),
  z.strictObject({ type: z.literal('seqscope:pause') }),
  z.strictObject({
    type: z.literal('seqscope:step'),
    /** Steps to move, default 1 (negative steps back). */
    by: z.optional(z.int().check(z.gte(-1_000_000), z.lte(1_000_000))),
  }),
  z.strictObject({ type: z.literal('seqscope:reinit') }),
]);

export type EmbedMessage = z.infer<typeof EmbedMessage>;

/** What the embed posts to its parent (documented; not validated on the way out). */
export type EmbedEvent =
  | { type: 'seqscope:ready'; version: 1; stage: string; stages: string[] }
  | {
      type: 'seqscope:state';
      state: {
        stage: string;
        params: Record<string, ParamValue>;
        k: number;
        n: number;
        lang: string;
        theme: string | null;
      };
      backend: string;
    }
  | { type: 'seqscope:error'; message: string }
  | { type: 'seqscope:resize'; height: number }
  | { type: 'seqscope:statement'; verb: 'experienced' | 'completed'; object: string; timestamp: string };

export type Parsed = { ok: true; message: EmbedMessage } | { ok: false; reason: string };

/** Checks a message against the schema; the reason names the first problem (never echoes it whole). */
export function parseMessage(data: unknown): Parsed {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return {
      ok: false,
      reason: `the message is ${data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`}, not an object`,
    };
  const bad = forbiddenKey(data, 0);
  if (bad) return { ok: false, reason: `the key ${JSON.stringify(bad)} is not allowed` };
  const r = EmbedMessage.safeParse(data);
  if (r.success) return { ok: true, message: r.data };
  const issue = r.error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.').slice(0, 60) : 'message';
  return { ok: false, reason: `${where}: ${(issue?.message ?? 'invalid').slice(0, 120)}` };
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** An own key that could reach a prototype (__proto__ from JSON.parse is an own key), searched 4 deep. */
function forbiddenKey(v: unknown, depth: number): string | null {
  if (typeof v !== 'object' || v === null || depth > 4) return null;
  for (const key of Object.keys(v)) {
    if (FORBIDDEN.has(key)) return key;
    const inner = forbiddenKey((v as Record<string, unknown>)[key], depth + 1);
    if (inner) return inner;
  }
  return null;
}

export type SetResult =
  | { ok: true; stageId: string; params: Record<string, ParamValue>; k: number | null }
  | { ok: false; reason: string };

const describe = (n: Notice) => `${n.key}${n.values ? ` ${JSON.stringify(n.values)}` : ''}`;

/**
 * Applies a setState payload to the current view, against the stages' specs. Params not named keep their
 * values when the stage stays the same and take their defaults when it changes.
 */
export function resolveState(
  state: z.infer<typeof EmbedState>,
  stages: readonly BuiltStage[],
  current: { stageId: string; params: Readonly<Record<string, ParamValue>> },
): SetResult {
  const stageId = state.stage ?? current.stageId;
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) return { ok: false, reason: `unknown stage ${JSON.stringify(stageId)}` };
  const params: Record<string, ParamValue> =
    stageId === current.stageId ? { ...current.params } : defaultParams(stage.params);
  for (const [key, v] of Object.entries(state.params ?? {})) {
    const spec = stage.params.find((s) => s.key === key);
    if (!spec)
      return { ok: false, reason: `unknown parameter ${JSON.stringify(key)} for stage "${stageId}"` };
    const checked = checkParam(spec, v);
    if (!checked.ok) return { ok: false, reason: `parameter "${key}": ${describe(checked.reason)}` };
    params[key] = checked.value;
  }
  let k: number | null = null;
  if (state.k !== undefined) {
    const n = stage.runtime.steps(params);
    if (state.k > n) return { ok: false, reason: `k must be a whole number from 0 to ${n}` };
    k = state.k;
  }
  return { ok: true, stageId, params, k };
}
