// The `rnn` stage: the Elman recurrence on the reader's sentence, stepped on the GPU; why it trains one
// step at a time and decodes at a constant cost; fading memory from two real runs; the LSTM beside it.
// All computed live by engine/stages/rnn.ts.

import { lazy } from 'react';
import { formatNumber } from '../../i18n';
import { rnnStage as engineStage } from '../../../engine';
import type { BuiltStage } from '../types';
import { rnnStageParams } from './params';
import { type RnnResult, type RnnStep, rnnRuntime } from './runtime';
import { rnnTex } from './tex';

export const rnnStage: BuiltStage = {
  status: 'built',
  id: 'rnn',
  tex: rnnTex,
  Prose: lazy(() => import('./Prose').then((m) => ({ default: m.RnnProse }))),
  Diagram: lazy(() => import('./Diagram').then((m) => ({ default: m.RnnDiagram }))),
  program: { id: engineStage.program.id, title: engineStage.program.title },
  params: rnnStageParams,
  playback: true,
  runtime: rnnRuntime as BuiltStage['runtime'],
  narrate(t, k, result, steps) {
    const r = result as RnnResult | null;
    const s = (steps as readonly RnnStep[])[k - 1];
    if (!r || !s) return null;
    const fmt = (v: number) => formatNumber(v, { maximumSignificantDigits: 2 });
    return t('narrate', { token: r.inputs.tokens[k - 1], dh: fmt(s.dh), dc: fmt(s.dc) });
  },
};
