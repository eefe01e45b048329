// The `race` stage: the benchmark suite of `npm run bench` in the page on the reader's GPU, started by
// the reader (no playback): plots of time and memory against L filling in row by row, the crossovers
// against the papers' claims, the H200 reference curves, exports in the CLI's JSON schema and as PNG.

import { lazy } from 'react';
import type { BuiltStage } from '../types';
import { raceStageParams } from './params';
import { raceRuntime } from './runtime';
import { raceTex } from './tex';

export const raceStage: BuiltStage = {
  status: 'built',
  id: 'race',
  tex: raceTex,
  Prose: lazy(() => import('./Prose').then((m) => ({ default: m.RaceProse }))),
  Diagram: lazy(() => import('./Diagram').then((m) => ({ default: m.RaceDiagram }))),
  program: { id: 'bench.suite', title: 'The benchmark suite (engine/bench)' },
  params: raceStageParams,
  playback: false,
  runtime: raceRuntime as BuiltStage['runtime'],
};
