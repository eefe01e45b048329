// The ssm stage's parameter specs (plain JSON values, so they live in the URL). Defaults are modest so
// the stage is quick even on a software GPU: N = 8, L = 64. Labels: app/locales/<lang>/ssm.json.

import { choiceSpec, type ParamSpec } from '../types';

export const ssmStageParams: readonly ParamSpec[] = [
  choiceSpec('signal', ['step', 'sine', 'noise', 'spike']),
  { kind: 'number', key: 'L', min: 8, max: 256, step: 1, default: 64 },
  { kind: 'number', key: 'N', min: 2, max: 32, step: 1, default: 8 },
  { kind: 'number', key: 'dt', min: 0.01, max: 1, step: 0.01, default: 0.1 },
  choiceSpec('disc', ['zoh', 'bilinear']),
];
