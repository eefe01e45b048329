// The iframe side of the embedding protocol: accepts {type:'seqscope:set'} from the parent window only,
// ignores anything malformed with a console.warn, and posts {type:'seqscope:state'} back on change.

import { validateSetMessage } from '../embed';
import { builtStages } from '../stages/registry';
import type { AppStore } from '../store/createAppStore';

export function startEmbedBridge(store: AppStore): () => void {
  const embedded = window.parent !== window;

  const onMessage = (event: MessageEvent) => {
    if (!embedded || event.source !== window.parent) return;
    const data: unknown = event.data;
    const s = store.getState();
    const r = validateSetMessage(data, builtStages, { stageId: s.stageId, params: s.params });
    if (!r.ok) {
      console.warn(`seqscope: ignored a message from the parent page: ${r.reason}`);
      return;
    }
    if (r.stageId !== s.stageId) s.setStage(r.stageId, r.params);
    else s.setParams(r.params);
    if (r.k !== null) store.getState().seek(r.k);
  };
  window.addEventListener('message', onMessage);

  let timer: ReturnType<typeof setTimeout> | null = null;
  const post = () => {
    timer = null;
    const s = store.getState();
    window.parent.postMessage(
      {
        type: 'seqscope:state',
        stage: s.stageId,
        params: { ...s.params },
        k: s.k,
        n: s.n,
        backend: s.gpu.state,
      },
      '*',
    );
  };
  const unsubscribe = embedded
    ? store.subscribe((s, prev) => {
        if (s.stageId === prev.stageId && s.params === prev.params && s.k === prev.k && s.gpu === prev.gpu)
          return;
        if (timer === null) timer = setTimeout(post, 100);
      })
    : () => {};
  if (embedded) post();
  return () => {
    window.removeEventListener('message', onMessage);
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
