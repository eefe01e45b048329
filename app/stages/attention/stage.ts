// The `attention` stage: Q, K, V of the reader's sentence, the scores and softmax rows, the outputs, the
// memory S takes, heads and grouped K/V heads, and decoding with a growing KV cache, all computed live by
// engine/stages/attention.ts.

import { lazy } from 'react';
import { attentionStage as engineStage } from '../../../engine';
import type { BuiltStage } from '../types';
import { attentionStageParams } from './params';
import { attentionRuntime, type AttentionResult, type AttentionStep } from './runtime';
import { attentionTex } from './tex';

export const attentionStage: BuiltStage = {
  status: 'built',
  id: 'attention',
  tex: attentionTex,
  // Loaded on demand: KaTeX and d3 come with them, so the shell and the engine start first.
  Prose: lazy(() => import('./Prose').then((m) => ({ default: m.AttentionProse }))),
  Diagram: lazy(() => import('./Diagram').then((m) => ({ default: m.AttentionDiagram }))),
  program: { id: engineStage.program.id, title: engineStage.program.title },
  params: attentionStageParams,
  playback: true,
  runtime: attentionRuntime as BuiltStage['runtime'],
  narrate(t, k, result, steps) {
    const r = result as AttentionResult | null;
    const s = (steps as readonly AttentionStep[])[k - 1];
    if (!r || !s) return null;
    let top = 0;
    for (let j = 1; j < s.cacheLen; j++) if (s.weights[j] > s.weights[top]) top = j;
    return t('narrate', { k, cache: s.cacheLen, j: top + 1 });
  },
};
