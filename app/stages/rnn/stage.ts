// The `rnn` stage: the Elman recurrence on the reader's sentence, stepped on the GPU; why it trains one
// step at a time and decodes at a constant cost; fading memory from two real runs; the LSTM beside it.
// All computed live by engine/stages/rnn.ts.

import { formatNumber } from '../../i18n';
import { rnnStage as engineStage } from '../../../engine';
import { defineStage } from '../define';
import { rnnStageParams } from './params';
import { rnnRuntime } from './runtime';
import { rnnTex } from './tex';

export const rnnStage = defineStage({
  id: 'rnn',
  tex: rnnTex,
  prose: () => import('./Prose').then((m) => m.RnnProse),
  diagram: () => import('./Diagram').then((m) => m.RnnDiagram),
  program: engineStage.program,
  params: rnnStageParams,
  playback: true,
  runtime: rnnRuntime,
  narrate(t, k, r, steps) {
    const s = steps[k - 1];
    if (!r || !s) return null;
    const fmt = (v: number) => formatNumber(v, { maximumSignificantDigits: 2 });
    return t('narrate', { token: r.inputs.tokens[k - 1], dh: fmt(s.dh), dc: fmt(s.dc) });
  },
});
