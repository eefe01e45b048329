// What ran, from an engine run: the part of every stage result that the GPU panel and the kernel view
// read. No React here (stage runtimes import it, and they run in the CPU worker too).

import { type RunResult, timeline } from '../../engine';
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
