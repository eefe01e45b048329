// The `intro` stage: sequence modelling as compressing the context into a state, the six models side by
// side in one table computed by engine/stages/intro.ts, the map of the stages, the engine badge, the papers.

import { lazy } from 'react';
import { introStage as engineStage } from '../../../engine';
import type { BuiltStage } from '../types';
import { introStageParams } from './params';
import { introRuntime } from './runtime';
import { introTex } from './tex';

export const introStage: BuiltStage = {
  status: 'built',
  id: 'intro',
  tex: introTex,
  Prose: lazy(() => import('./Prose').then((m) => ({ default: m.IntroProse }))),
  Diagram: lazy(() => import('./Diagram').then((m) => ({ default: m.IntroDiagram }))),
  program: { id: engineStage.program.id, title: engineStage.program.title },
  params: introStageParams,
  playback: false,
  runtime: introRuntime as BuiltStage['runtime'],
};
