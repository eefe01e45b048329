// The `ssm` stage: the continuous state space model, its discretization, and its two computational
// views (recurrent and convolutional), all computed live by engine/programs/ssmStage.ts.

import { ssmStageProgram } from '../../../engine';
import type { BuiltStage } from '../types';
import { SsmDiagram } from './Diagram';
import { ssmStageParams } from './params';
import { SsmProse } from './Prose';
import { ssmRuntime } from './result';
import { ssmTex } from './tex';

export const ssmStage: BuiltStage = {
  status: 'built',
  id: 'ssm',
  title: 'State space models',
  tex: ssmTex,
  Prose: SsmProse,
  Diagram: SsmDiagram,
  program: { id: ssmStageProgram.id, title: ssmStageProgram.title },
  params: ssmStageParams,
  runtime: ssmRuntime as BuiltStage['runtime'],
};
