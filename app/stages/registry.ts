// The ordered path of stages, built and coming. Only built stages can be opened; the others are shown on
// the path, marked "coming", with no content.

import { ssmStage } from './ssm/stage';
import type { BuiltStage, StageEntry } from './types';

export const stages: readonly StageEntry[] = [
  { status: 'coming', id: 'rnn', title: 'RNN' },
  { status: 'coming', id: 'attention', title: 'Attention' },
  { status: 'coming', id: 'flash', title: 'FlashAttention' },
  { status: 'coming', id: 'linear', title: 'Linear attention' },
  ssmStage,
  { status: 'coming', id: 's4', title: 'HiPPO / S4' },
  { status: 'coming', id: 'mamba', title: 'Mamba' },
  { status: 'coming', id: 'ssd', title: 'Mamba-2 (SSD)' },
  { status: 'coming', id: 'race', title: 'The race' },
];

export const builtStages: readonly BuiltStage[] = stages.filter((s): s is BuiltStage => s.status === 'built');

export const defaultStage: BuiltStage = builtStages[0];

export function findBuiltStage(id: string): BuiltStage | undefined {
  return builtStages.find((s) => s.id === id);
}
