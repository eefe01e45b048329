// What ran, from an engine run: the part of every stage result that the GPU panel and the kernel view
// read. No React here (stage runtimes import it, and they run in the CPU worker too).

import { makeStepper, type RunResult, type Stepper, timeline } from '../../engine';
import type { StageRan } from './types';

export function stageRan(
  r: Pick<RunResult<unknown>, 'dispatches' | 'gpuMs' | 'trace'> & {
    backend: 'webgpu' | 'cpu';
  },
): StageRan {
  return {
    backend: r.backend,
    dispatches: r.dispatches,
    gpuMs: r.gpuMs,
    timeline: r.trace ? timeline(r.trace) : null,
  };
}

/** What every stage result starts with, from its engine run: the backend, what ran, the outputs. */
export function ranResult<O>(r: RunResult<O> & { backend: 'webgpu' | 'cpu' }) {
  return { backend: r.backend, ran: stageRan(r), outputs: r.outputs };
}

/** The stepper of a stage without playback (intro, race): no steps; asking for one is an error. */
export function noSteps(id: string, backend: 'webgpu' | 'cpu'): Stepper<never> {
  return makeStepper<never>(id, {
    backend,
    count: 0,
    advance() {
      throw new Error(`the ${id} stage has no steps`);
    },
  });
}
