// Every golden adapter, keyed by the reference function name (without the "ref." prefix).
// One file per family; each family owns its file. Every adapter checks the case's inputs first (checked.ts).

import type { GoldenAdapter } from '../format';
import { attentionAdapters } from './attention';
import { blocksAdapters } from './blocks';
import { withInputChecks } from './checked';
import { linearAttentionAdapters } from './linearAttention';
import { mambaAdapters } from './mamba';
import { withoutVectorsAdapters } from './withoutVectors';
import { rnnAdapters } from './rnn';
import { s4Adapters } from './s4';
import { ssdAdapters } from './ssd';

export const adapters: Record<string, GoldenAdapter> = withInputChecks({
  ...s4Adapters,
  ...mambaAdapters,
  ...ssdAdapters,
  ...attentionAdapters,
  ...linearAttentionAdapters,
  ...rnnAdapters,
  ...withoutVectorsAdapters,
  ...blocksAdapters,
});
