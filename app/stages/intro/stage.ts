// The `intro` stage: sequence modelling as compressing the context into a state, the six models side by
// side in one table computed by engine/stages/intro.ts, the map of the stages, the engine badge, the papers.

import { introStage as engineStage } from '../../../engine';
import { defineStage } from '../define';
import { introStageParams } from './params';
import { introRuntime } from './runtime';
import { introTex } from './tex';

export const introStage = defineStage({
  id: 'intro',
  tex: introTex,
  prose: () => import('./Prose').then((m) => m.IntroProse),
  diagram: () => import('./Diagram').then((m) => m.IntroDiagram),
  program: engineStage.program,
  params: introStageParams,
  playback: false,
  runtime: introRuntime,
});
