// The ssm stage's parameter specs (plain JSON values, so they live in the URL). Defaults are modest so
// the stage is quick even on a software GPU: N = 8, L = 64.

import type { ParamSpec } from '../types';

export const ssmStageParams: readonly ParamSpec[] = [
  {
    kind: 'choice',
    key: 'signal',
    label: 'Input x',
    options: [
      { value: 'step', label: 'step' },
      { value: 'sine', label: 'sine' },
      { value: 'noise', label: 'noise' },
      { value: 'spike', label: 'spike' },
    ],
    default: 'step',
  },
  { kind: 'number', key: 'L', label: 'Length L', min: 8, max: 256, step: 1, default: 64 },
  { kind: 'number', key: 'N', label: 'State size N', min: 2, max: 32, step: 1, default: 8 },
  { kind: 'number', key: 'dt', label: 'Step size Δ', min: 0.01, max: 1, step: 0.01, default: 0.1 },
  {
    kind: 'choice',
    key: 'disc',
    label: 'Discretization',
    options: [
      { value: 'zoh', label: 'ZOH' },
      { value: 'bilinear', label: 'bilinear' },
    ],
    default: 'zoh',
  },
];
