// The page's side of the input worker: an InputSource for the suite (raceStage.setInputSource) that asks
// the worker for a length's inputs, so no main-thread task draws them. One worker per race, ended after it.

import type { raceStage } from '../../../engine';
import { trustedScriptUrl } from '../../trust';
import workerUrl from './inputsWorker.ts?worker&url';
import type { InputReply, InputRequest } from './inputsProtocol';

export interface InputWorker {
  source: raceStage.InputSource;
  close(): void;
}

export function inputWorker(sizes: raceStage.Sizes): InputWorker {
  const w = new Worker(trustedScriptUrl(new URL(workerUrl, import.meta.url)), {
    type: 'module',
    name: 'seqscope-race-inputs',
  });
  let next = 1;
  const pending = new Map<number, { resolve(v: object): void; reject(e: Error): void }>();
  const failAll = (message: string) => {
    for (const p of pending.values()) p.reject(new Error(message));
    pending.clear();
  };
  w.onmessage = (e: MessageEvent<InputReply>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if ('error' in e.data) p.reject(new Error(e.data.error));
    else p.resolve(e.data.inputs);
  };
  w.onerror = (e) => failAll(e.message || 'the input worker stopped');
  return {
    source: (key, L, base) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        const req: InputRequest = { id, sizes, key, L, base };
        w.postMessage(req);
      }),
    close: () => {
      w.terminate();
      failAll('the race ended');
    },
  };
}
