// Every built stage's runtime by id, with nothing of React: the CPU worker (app/runtime/cpuWorker.ts)
// imports this file to run the same programs off the main thread. A stage's line here sits beside its
// entry in registry.ts.

import { attentionRuntime } from './attention/runtime';
import { introRuntime } from './intro/runtime';
import { raceRuntime } from './race/runtime';
import { rnnRuntime } from './rnn/runtime';
import { ssmRuntime } from './ssm/runtime';
import type { StageRuntime } from './types';

export const runtimes: Readonly<Record<string, StageRuntime>> = {
  attention: attentionRuntime as StageRuntime,
  intro: introRuntime as StageRuntime,
  race: raceRuntime as StageRuntime,
  rnn: rnnRuntime as StageRuntime,
  ssm: ssmRuntime as StageRuntime,
};
