// postMessage protocol for course pages that embed Seqscope in an iframe. Pure validation only: a message
// is accepted whole or ignored whole (with a reason for console.warn); wiring lives in runtime/embedBridge.ts.

import { type BuiltStage, checkParam, defaultParams, type ParamValue } from './stages/types';

export interface SetMessage {
  type: 'seqscope:set';
  stage?: string;
  params?: Record<string, ParamValue>;
  k?: number;
}

export type SetResult =
  | { ok: true; stageId: string; params: Record<string, ParamValue>; k: number | null }
  | { ok: false; reason: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Validates {type:'seqscope:set', stage?, params?, k?}. Params not named keep their current values when
 * the stage stays the same, and take their defaults when it changes.
 */
export function validateSetMessage(
  data: unknown,
  stages: readonly BuiltStage[],
  current: { stageId: string; params: Readonly<Record<string, ParamValue>> },
): SetResult {
  if (!isPlainObject(data)) return { ok: false, reason: 'message is not an object' };
  if (data.type !== 'seqscope:set') return { ok: false, reason: 'type is not "seqscope:set"' };
  for (const key of Object.keys(data))
    if (!['type', 'stage', 'params', 'k'].includes(key))
      return { ok: false, reason: `unknown field "${key}"` };

  let stageId = current.stageId;
  if (data.stage !== undefined) {
    if (typeof data.stage !== 'string') return { ok: false, reason: 'stage must be a string' };
    if (!stages.some((s) => s.id === data.stage))
      return { ok: false, reason: `unknown stage "${data.stage}"` };
    stageId = data.stage;
  }
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) return { ok: false, reason: `unknown stage "${stageId}"` };

  const params: Record<string, ParamValue> =
    stageId === current.stageId ? { ...current.params } : defaultParams(stage.params);
  if (data.params !== undefined) {
    if (!isPlainObject(data.params)) return { ok: false, reason: 'params must be an object' };
    for (const [key, value] of Object.entries(data.params)) {
      const spec = stage.params.find((s) => s.key === key);
      if (!spec) return { ok: false, reason: `unknown parameter "${key}" for stage "${stageId}"` };
      const checked = checkParam(spec, value);
      if (!checked.ok)
        return { ok: false, reason: `parameter "${key}" fails ${JSON.stringify(checked.reason)}` };
      params[key] = checked.value;
    }
  }

  let k: number | null = null;
  if (data.k !== undefined) {
    const n = stage.runtime.steps(params);
    if (typeof data.k !== 'number' || !Number.isInteger(data.k) || data.k < 0 || data.k > n)
      return { ok: false, reason: `k must be a whole number from 0 to ${n}` };
    k = data.k;
  }
  return { ok: true, stageId, params, k };
}
