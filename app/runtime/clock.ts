// The animation clock: while playing, advances k by one every 1/speed seconds on a fixed schedule
// (deadline t0 + i/speed, so timer lateness never accumulates), whether or not step k has been read back
// yet: the diagram shows a step that is still being computed as pending, and the session fills it. At the
// last step it pauses. Calls plain store actions only.

import type { AppStore } from '../store/createAppStore';

export interface ClockDeps {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realDeps: ClockDeps = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function startClock(store: AppStore, deps: ClockDeps = realDeps): () => void {
  let timer: unknown = null;
  let origin = 0;
  let ticks = 0;

  const stop = () => {
    if (timer !== null) deps.clearTimeout(timer);
    timer = null;
  };

  const schedule = () => {
    const period = 1000 / store.getState().speed;
    const due = origin + (ticks + 1) * period;
    timer = deps.setTimeout(tick, Math.max(0, due - deps.now()));
  };

  const tick = () => {
    timer = null;
    const s = store.getState();
    if (!s.playing) return;
    if (s.k >= s.n) {
      s.pause();
      return;
    }
    ticks++;
    s.seek(s.k + 1);
    if (store.getState().k >= store.getState().n) store.getState().pause();
    else schedule();
  };

  const start = () => {
    stop();
    origin = deps.now();
    ticks = 0;
    schedule();
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.playing && (!prev.playing || s.speed !== prev.speed)) start();
    else if (!s.playing && prev.playing) stop();
  });
  if (store.getState().playing) start();
  return () => {
    unsubscribe();
    stop();
  };
}
