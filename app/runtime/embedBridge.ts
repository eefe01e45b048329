// The iframe side of the message API (app/embed.ts; README "Embedding"). Accepts messages from the parent
// window only, validated against the schema; anything else is ignored with one console warning. With
// `parentOrigin=` only that origin is obeyed and posted to; without it, the first origin that sends a
// valid message becomes the peer (a handshake) — state is never posted to '*'. Posts seqscope:ready, then
// seqscope:state on every change (debounced), seqscope:error, seqscope:resize (content height), and, when
// asked for (`statements=1`), xAPI-style seqscope:statement events.

import { type EmbedEvent, parseMessage, resolveState } from '../embed';
import { builtStages } from '../stages/registry';
import type { AppStore } from '../store/createAppStore';

export interface BridgeOptions {
  /** The only origin obeyed and posted to, from `parentOrigin=`; null: handshake with the first sender. */
  parentOrigin: string | null;
  /** Post "experienced stage" / "completed the steps" statements for course platforms. */
  statements: boolean;
  /** Re-initialises the engine (seqscope:reinit). */
  reinit(): void;
}

export function startEmbedBridge(store: AppStore, opts: BridgeOptions): () => void {
  const embedded = window.parent !== window;
  if (!embedded) return () => undefined;
  let peer: string | null = opts.parentOrigin;
  const ignore = (why: string) => console.warn(`seqscope: ignored a message from the parent page: ${why}`);

  const post = (event: EmbedEvent) => {
    if (peer && peer !== 'null') window.parent.postMessage(event, peer);
  };
  const stateEvent = (): EmbedEvent => {
    const s = store.getState();
    return {
      type: 'seqscope:state',
      state: { stage: s.stageId, params: { ...s.params }, k: s.k, n: s.n, lang: s.lang, theme: s.theme },
      backend: s.gpu.state,
    };
  };
  const completed = new Set<string>();
  const statement = (verb: 'experienced' | 'completed', object: string) => {
    if (opts.statements)
      post({ type: 'seqscope:statement', verb, object, timestamp: new Date().toISOString() });
  };
  // The content's height (the body's, not the frame's), so the host can size the frame to it: no inner
  // scrollbar, and the wheel scrolls the course page.
  let lastHeight = 0;
  const postHeight = (always: boolean) => {
    const h = Math.ceil(document.body.getBoundingClientRect().height);
    if (always || h !== lastHeight) {
      lastHeight = h;
      post({ type: 'seqscope:resize', height: h });
    }
  };
  const ready = () => {
    post({
      type: 'seqscope:ready',
      version: 1,
      stage: store.getState().stageId,
      stages: builtStages.map((b) => b.id),
    });
    post(stateEvent());
    postHeight(true);
    statement('experienced', store.getState().stageId);
  };

  const onMessage = (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    if (opts.parentOrigin && event.origin !== opts.parentOrigin) {
      ignore(`origin ${event.origin.slice(0, 80)} is not parentOrigin`);
      return;
    }
    const parsed = parseMessage(event.data);
    if (!parsed.ok) {
      ignore(parsed.reason);
      return;
    }
    if (!peer) {
      peer = event.origin;
      ready();
    }
    const m = parsed.message;
    const s = store.getState();
    switch (m.type) {
      case 'seqscope:getState':
        post(stateEvent());
        return;
      case 'seqscope:setState': {
        const r = resolveState(m.state, builtStages, { stageId: s.stageId, params: s.params });
        if (!r.ok) {
          ignore(r.reason);
          post({ type: 'seqscope:error', message: r.reason });
          return;
        }
        if (r.stageId !== s.stageId) s.setStage(r.stageId, r.params);
        else s.setParams(r.params);
        if (r.k !== null) store.getState().seek(r.k);
        if (m.state.lang) store.getState().setLang(m.state.lang);
        if (m.state.theme) store.getState().setTheme(m.state.theme);
        return;
      }
      case 'seqscope:play':
        s.play();
        return;
      case 'seqscope:pause':
        s.pause();
        return;
      case 'seqscope:step':
        s.pause();
        s.seek(s.k + (m.by ?? 1));
        return;
      case 'seqscope:reinit':
        opts.reinit();
        return;
    }
  };
  window.addEventListener('message', onMessage);

  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.compute.status === 'error' && prev.compute.status !== 'error')
      post({ type: 'seqscope:error', message: String(s.compute.error).slice(0, 300) });
    if (s.stageId !== prev.stageId) statement('experienced', s.stageId);
    if (s.n > 0 && s.k === s.n && prev.k !== s.n && !completed.has(s.stageId)) {
      completed.add(s.stageId);
      statement('completed', s.stageId);
    }
    const same =
      s.stageId === prev.stageId &&
      s.params === prev.params &&
      s.k === prev.k &&
      s.n === prev.n &&
      s.gpu === prev.gpu &&
      s.lang === prev.lang &&
      s.theme === prev.theme;
    if (!same && timer === null)
      timer = setTimeout(() => {
        timer = null;
        post(stateEvent());
      }, 100);
  });

  const resize = new ResizeObserver(() => postHeight(false));
  resize.observe(document.body);

  if (peer) ready();
  return () => {
    window.removeEventListener('message', onMessage);
    unsubscribe();
    resize.disconnect();
    if (timer !== null) clearTimeout(timer);
  };
}
