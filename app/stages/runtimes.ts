// Every built stage's runtime by id, with nothing of React: the CPU worker (app/runtime/cpuWorker.ts)
// imports this file to run the same programs off the main thread. A stage's line here sits beside its
// entry in registry.ts.

import { ssmRuntime } from './ssm/runtime';
import type { StageRuntime } from './types';

export const runtimes: Readonly<Record<string, StageRuntime>> = {
  ssm: ssmRuntime as StageRuntime,
};
