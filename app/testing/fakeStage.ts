// A fake built stage for the pure tests of URL parsing, embedding and the store (no engine, no React).

import { type BuiltStage, choiceSpec } from '../stages/types';

export const fakeStage: BuiltStage = {
  status: 'built',
  id: 'ssm',
  tex: {},
  Prose: () => null,
  Diagram: () => null,
  program: { id: 'fake', title: 'fake' },
  playback: true,
  params: [
    choiceSpec('signal', ['step', 'sine']),
    { kind: 'number', key: 'L', min: 8, max: 256, step: 1, default: 64 },
    { kind: 'number', key: 'dt', min: 0.01, max: 2, step: 0.01, default: 0.1 },
  ],
  runtime: {
    run: () => Promise.reject(new Error('not in tests')),
    createStepper: () => Promise.reject(new Error('not in tests')),
    steps: (p) => Number(p.L),
  },
};

export const otherStage: BuiltStage = {
  ...fakeStage,
  id: 'other',
  params: [fakeStage.params[1]],
};
