// The race's parameter specs (plain JSON, so a run's setup lives in the URL): a preset or the reader's own
// list of algorithms, the range of L and the time budget (a real GPU only; a software adapter races the
// quick sizes). Labels: app/locales/<lang>/race.json.

import { raceStage } from '../../../engine';
import { choiceSpec, type ParamSpec, type ParamValues } from '../types';

const LENGTHS = raceStage.RACE_LENGTHS.map(String);

export const raceStageParams: readonly ParamSpec[] = [
  choiceSpec('preset', [...raceStage.PRESETS, 'custom'], 'mambaFlash'),
  // The custom list, comma-separated algorithm ids (set by the checkboxes; read only when preset=custom).
  { kind: 'text', key: 'algs', maxLength: 400, default: '' },
  choiceSpec('from', LENGTHS, '512'),
  choiceSpec('to', LENGTHS, '4096'),
  choiceSpec('budget', raceStage.RACE_BUDGETS_S.map(String), '120'),
];

/** The controls ParamControls draws (the custom list is the checkboxes). */
export const SHOWN_PARAMS = ['preset', 'from', 'to', 'budget'] as const;

export const isPreset = (v: unknown): v is raceStage.Preset =>
  (raceStage.PRESETS as readonly unknown[]).includes(v);

/** The reader's choice for the plan: the preset's algorithms, or the custom list. */
export function raceChoice(p: ParamValues, sizes: raceStage.Sizes): raceStage.RaceChoice {
  const ids = isPreset(p.preset)
    ? raceStage.presetIds(p.preset, sizes)
    : String(p.algs)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  return { ids, from: Number(p.from), to: Number(p.to), budgetS: Number(p.budget) };
}
