// The messages between the page and the CPU worker (app/runtime/cpuWorker.ts). Values cross by
// structured clone: params and results are plain objects and typed arrays.

import type { ParamValues } from '../stages/types';

export type CpuRequest =
  | { id: number; op: 'run'; stage: string; params: ParamValues }
  | { id: number; op: 'stepper'; stage: string; params: ParamValues; result: unknown }
  | { id: number; op: 'step'; handle: number }
  | { id: number; op: 'reset'; handle: number }
  | { id: number; op: 'dispose'; handle: number };

export type CpuReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface StepperHandle {
  handle: number;
  count: number;
}
