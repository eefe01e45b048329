// The ordered path of stages, built and coming (the ids are URLs: ../shared/STAGES.md). Only built stages
// can be opened; the others are shown on the path, marked "coming". Titles: common:stages.<id>.title.

import { attentionStage } from './attention/stage';
import { introStage } from './intro/stage';
import { raceStage } from './race/stage';
import { rnnStage } from './rnn/stage';
import { ssmStage } from './ssm/stage';
import type { BuiltStage, StageEntry } from './types';

export const stages: readonly StageEntry[] = [
  introStage,
  rnnStage,
  attentionStage,
  { status: 'coming', id: 'flash' },
  { status: 'coming', id: 'linear' },
  ssmStage,
  { status: 'coming', id: 's4' },
  { status: 'coming', id: 'mamba' },
  { status: 'coming', id: 'ssd' },
  raceStage,
];

export const builtStages: readonly BuiltStage[] = stages.filter((s): s is BuiltStage => s.status === 'built');

/** The stage an address without ?stage= opens: the introduction once it is built, else the first built. */
export const defaultStage: BuiltStage = builtStages.find((s) => s.id === 'intro') ?? builtStages[0];

export function findBuiltStage(id: string): BuiltStage | undefined {
  return builtStages.find((s) => s.id === id);
}
