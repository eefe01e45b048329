// The animation clock: while playing, advances k by one every 1/speed seconds, but only once the current
// step has been read back (so playback never runs ahead of the GPU). Calls plain store actions.

import type { AppStore } from '../store/createAppStore';

export function startClock(store: AppStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;

  const tick = () => {
    timer = null;
    const s = store.getState();
    if (!s.playing) return;
    const ready = s.compute.status === 'ready' && s.steps.length >= s.k;
    if (ready) {
      if (s.k >= s.n) {
        s.pause();
        return;
      }
      s.seek(s.k + 1);
    }
    schedule();
  };

  const schedule = () => {
    if (timer !== null) return;
    const s = store.getState();
    const ready = s.compute.status === 'ready' && s.steps.length >= s.k;
    timer = setTimeout(tick, ready ? 1000 / s.speed : 16);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.playing && !prev.playing) schedule();
    if (!s.playing && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  });
  if (store.getState().playing) schedule();
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
