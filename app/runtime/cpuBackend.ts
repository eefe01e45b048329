// The page's side of the CPU backend: a stage runtime whose run and stepper execute in the CPU worker
// (app/runtime/cpuWorker.ts), with the same interface as on the GPU, so the session treats both alike.
// One worker for the page, started on first use; a crashed worker rejects what was pending and the next
// request starts a new one.

import { makeStepper } from '../../engine';
import { trustedScriptUrl } from '../trust';
// The built worker's URL (Vite compiles it as a worker); the Worker is made here, through the policy.
import workerUrl from './cpuWorker.ts?worker&url';
import type { StageRuntime } from '../stages/types';
import type { CpuReply, CpuRequest, StepperHandle } from './cpuProtocol';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };
type Request = CpuRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** Something that carries requests to a worker and brings back replies (a Worker, or a fake in tests). */
export interface Port {
  post(req: CpuRequest): void;
  onReply(fn: (r: CpuReply) => void): void;
  onCrash(fn: (message: string) => void): void;
  close(): void;
}

export function workerPort(): Port {
  const w = new Worker(trustedScriptUrl(new URL(workerUrl, import.meta.url)), {
    type: 'module',
    name: 'seqscope-cpu',
  });
  return {
    post: (req) => w.postMessage(req),
    onReply: (fn) => {
      w.onmessage = (e: MessageEvent<CpuReply>) => fn(e.data);
    },
    onCrash: (fn) => {
      w.onerror = (e) => fn(e.message || 'the CPU worker stopped');
    },
    close: () => w.terminate(),
  };
}

export function cpuClient(open: () => Port = workerPort) {
  let port: Port | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const connect = (): Port => {
    if (port) return port;
    const p = open();
    p.onReply((r) => {
      const w = pending.get(r.id);
      if (!w) return;
      pending.delete(r.id);
      if (r.ok) w.resolve(r.value);
      else w.reject(new Error(r.error));
    });
    p.onCrash((message) => {
      for (const w of pending.values()) w.reject(new Error(message));
      pending.clear();
      p.close();
      if (port === p) port = null;
    });
    port = p;
    return p;
  };

  const call = <T>(req: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      connect().post({ ...req, id } as CpuRequest);
    });

  /** The CPU runtime of one stage, run in the worker. */
  function runtime(stage: string): Pick<StageRuntime, 'run' | 'createStepper'> {
    return {
      run: (_gpu, params) => call({ op: 'run', stage, params }),
      async createStepper(_gpu, params, result) {
        const h = await call<StepperHandle>({ op: 'stepper', stage, params, result });
        return makeStepper(`cpuWorker.${stage}`, {
          backend: 'cpu',
          count: h.count,
          advance: () => call({ op: 'step', handle: h.handle }),
          reset: () => call({ op: 'reset', handle: h.handle }),
          free: () => void call({ op: 'dispose', handle: h.handle }).catch(() => undefined),
        });
      },
    };
  }

  return { runtime, pending: () => pending.size };
}

let shared: ReturnType<typeof cpuClient> | null = null;

/** The page's one CPU client (its worker starts on first use). */
export function cpuRuntime(stage: string): Pick<StageRuntime, 'run' | 'createStepper'> {
  shared ??= cpuClient();
  return shared.runtime(stage);
}
