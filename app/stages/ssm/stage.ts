// The `ssm` stage: the continuous state space model, its discretization, and its two computational
// views (recurrent and convolutional), all computed live by engine/stages/ssm.ts.

import { lazy } from 'react';
import { ssmStage as engineStage } from '../../../engine';
import type { BuiltStage } from '../types';
import { ssmStageParams } from './params';
import { ssmRuntime } from './runtime';
import { ssmTex } from './tex';

export const ssmStage: BuiltStage = {
  status: 'built',
  id: 'ssm',
  tex: ssmTex,
  // Loaded on demand: KaTeX and d3 come with them, so the shell and the engine start first.
  Prose: lazy(() => import('./Prose').then((m) => ({ default: m.SsmProse }))),
  Diagram: lazy(() => import('./Diagram').then((m) => ({ default: m.SsmDiagram }))),
  program: { id: engineStage.program.id, title: engineStage.program.title },
  params: ssmStageParams,
  playback: true,
  runtime: ssmRuntime as BuiltStage['runtime'],
};
