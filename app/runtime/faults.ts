// A render fault the e2e tests can arm (through window.__seqscope, installed only under automation), to
// prove that an exception while rendering a stage shows the error boundary's message and retry, never a
// blank page. Inert unless armed.

import { useSyncExternalStore } from 'react';

let armed = false;
const listeners = new Set<() => void>();

export function armRenderFault(): void {
  armed = true;
  for (const l of listeners) l();
}

/** Ends the fault once a boundary has shown it (React retries a failed render once by itself). */
export function disarmRenderFault(): void {
  armed = false;
}

/** Throws while armed, so the boundary's retry (after disarmRenderFault) renders the stage again. */
export function useRenderFault(): void {
  const now = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => armed,
  );
  if (now && armed) throw new Error('a test fault armed by the e2e suite');
}
