// Mirrors the store into the address bar with history.replaceState (never pushState: no history flood,
// and no surprise entries in a course page's back button). Debounced while playing.

import { buildSearch } from '../url';
import { findBuiltStage } from '../stages/registry';
import type { AppStore } from '../store/createAppStore';

export function startUrlSync(store: AppStore, delayMs = 200): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const s = store.getState();
    const stage = findBuiltStage(s.stageId);
    if (!stage) return;
    const search = buildSearch(
      {
        stageId: s.stageId,
        params: { ...s.params },
        k: s.k,
        forceCpu: s.gpu.forcedCpu,
        lang: s.langChosen ? s.lang : null,
        theme: s.theme,
        embedding: s.embedding,
      },
      stage,
    );
    if (search !== window.location.search)
      window.history.replaceState(
        window.history.state,
        '',
        `${window.location.pathname}${search}${window.location.hash}`,
      );
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.stageId === prev.stageId &&
      s.params === prev.params &&
      s.k === prev.k &&
      s.gpu.forcedCpu === prev.gpu.forcedCpu &&
      s.lang === prev.lang &&
      s.theme === prev.theme
    )
      return;
    if (timer === null) timer = setTimeout(write, delayMs);
  });
  // One normalising write at start, so a link with malformed values shows what is actually used.
  timer = setTimeout(write, delayMs);
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
