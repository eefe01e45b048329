// Applies the store's language and theme to the document: <html lang>, i18next's language, and
// data-theme (absent: the stylesheet follows prefers-color-scheme).

import { i18n } from '../i18n';
import type { AppStore } from '../store/createAppStore';

export function startDisplay(store: AppStore): () => void {
  const apply = () => {
    const s = store.getState();
    const root = document.documentElement;
    root.lang = s.lang;
    // Embedded pages size the frame to their content: nothing may be sized to the viewport (a feedback
    // loop with the frame's height).
    if (s.embedding.embed) root.dataset.embed = '1';
    if (s.theme) root.dataset.theme = s.theme;
    else delete root.dataset.theme;
    if (i18n.language !== s.lang) void i18n.changeLanguage(s.lang);
  };
  apply();
  return store.subscribe((s, prev) => {
    if (s.lang !== prev.lang || s.theme !== prev.theme) apply();
  });
}
