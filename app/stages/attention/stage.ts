// The `attention` stage: Q, K, V of the reader's sentence, the scores and softmax rows, the outputs, the
// memory S takes, heads and grouped K/V heads, and decoding with a growing KV cache, all computed live by
// engine/stages/attention.ts.

import { attentionStage as engineStage } from '../../../engine';
import { defineStage } from '../define';
import { attentionStageParams } from './params';
import { attentionRuntime } from './runtime';
import { attentionTex } from './tex';

export const attentionStage = defineStage({
  id: 'attention',
  tex: attentionTex,
  prose: () => import('./Prose').then((m) => m.AttentionProse),
  diagram: () => import('./Diagram').then((m) => m.AttentionDiagram),
  program: engineStage.program,
  params: attentionStageParams,
  playback: true,
  runtime: attentionRuntime,
  narrate(t, k, r, steps) {
    const s = steps[k - 1];
    if (!r || !s) return null;
    let top = 0;
    for (let j = 1; j < s.cacheLen; j++) if (s.weights[j] > s.weights[top]) top = j;
    return t('narrate', { k, cache: s.cacheLen, j: top + 1 });
  },
});
