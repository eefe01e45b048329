// Entry point: read the URL, pick the language, build the store, start the runtime (GPU, engine session,
// clock, URL sync, display, keyboard, embedding bridge), then render. The runtime lives outside React.

import { createRoot } from 'react-dom/client';
import { loadBundledShaders } from '../engine';
import { App } from './App';
import { initI18n, pickLang } from './i18n';
import { startClock } from './runtime/clock';
import { startDisplay } from './runtime/display';
import { startEmbedBridge } from './runtime/embedBridge';
import { initGpu } from './runtime/gpu';
import { startKeyboard } from './runtime/keyboard';
import { startSession } from './runtime/session';
import { installTestHooks } from './runtime/testHooks';
import { startUrlSync } from './runtime/urlSync';
import { builtStages, findBuiltStage, stages } from './stages/registry';
import { installStore } from './store';
import { createAppStore } from './store/createAppStore';
import { parseSearch } from './url';
import './styles/themes.css';
import './styles/base.css';
import './styles/views.css';
import './styles/controls.css';

loadBundledShaders();
const parsed = parseSearch(
  window.location.search,
  builtStages,
  stages.filter((s) => s.status === 'coming'),
);
const lang = pickLang(parsed.lang, navigator.languages ?? [navigator.language]);
void initI18n(lang);
const store = createAppStore(
  { steps: (id, params) => findBuiltStage(id)?.runtime.steps(params) ?? 0 },
  {
    stageId: parsed.stageId,
    params: parsed.params,
    k: parsed.k,
    lang,
    langChosen: parsed.lang !== null,
    theme: parsed.theme,
    embedding: parsed.embedding,
  },
);
installStore(store);
if (parsed.messages.length > 0) store.getState().addNotices(parsed.messages);
// Reduced motion: nothing moves unless the reader presses play, and then at a calm pace, one step a second.
if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) store.getState().setSpeed(1);

startDisplay(store);
startSession(store);
startClock(store);
startUrlSync(store);
startKeyboard(store);
startEmbedBridge(store, {
  parentOrigin: parsed.embedding.parentOrigin,
  statements: parsed.embedding.statements,
  reinit: () => void initGpu(store, parsed.forceCpu),
});
installTestHooks(store);
void initGpu(store, parsed.forceCpu);

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
