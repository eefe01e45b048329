// Every golden adapter, keyed by the reference function name (without the "ref." prefix).
// One file per family; each family owns its file.

import type { GoldenAdapter } from '../format';
import { attentionAdapters } from './attention';
import { linearAttentionAdapters } from './linearAttention';
import { mambaAdapters } from './mamba';
import { rnnAdapters } from './rnn';
import { s4Adapters } from './s4';
import { ssdAdapters } from './ssd';

export const adapters: Record<string, GoldenAdapter> = {
  ...s4Adapters,
  ...mambaAdapters,
  ...ssdAdapters,
  ...attentionAdapters,
  ...linearAttentionAdapters,
  ...rnnAdapters,
};
