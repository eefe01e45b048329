// What the CPU worker does with each request: run a stage runtime's CPU path, hold its steppers between
// steps, free them on 'dispose'. Kept apart from the worker's wiring so tests run it in-process.

import type { Stepper } from '../../engine';
import type { StageRuntime } from '../stages/types';
import type { CpuReply, CpuRequest, StepperHandle } from './cpuProtocol';

export function cpuHost(runtimes: Readonly<Record<string, StageRuntime>>) {
  const steppers = new Map<number, Stepper<unknown>>();
  let nextHandle = 1;

  const runtimeOf = (stage: string) => {
    const r = runtimes[stage];
    if (!r) throw new Error(`no runtime for stage "${stage}"`);
    return r;
  };
  const stepperOf = (handle: number) => {
    const s = steppers.get(handle);
    if (!s) throw new Error(`no stepper ${handle} (disposed)`);
    return s;
  };

  async function value(req: CpuRequest): Promise<unknown> {
    switch (req.op) {
      case 'run':
        return runtimeOf(req.stage).run(null, req.params);
      case 'stepper': {
        const s = await runtimeOf(req.stage).createStepper(null, req.params, req.result);
        const handle = nextHandle++;
        steppers.set(handle, s);
        return { handle, count: s.count } satisfies StepperHandle;
      }
      case 'step':
        return stepperOf(req.handle).step();
      case 'reset':
        return stepperOf(req.handle).reset();
      case 'dispose':
        steppers.get(req.handle)?.dispose();
        steppers.delete(req.handle);
        return null;
    }
  }

  return {
    answer: (req: CpuRequest): Promise<CpuReply> =>
      value(req).then(
        (v): CpuReply => ({ id: req.id, ok: true, value: v }),
        (err: unknown): CpuReply => ({
          id: req.id,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
        }),
      ),
    live: () => steppers.size,
  };
}
