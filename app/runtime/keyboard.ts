// Keyboard shortcuts for playback: space plays/pauses, ← and → step. Never while typing in a field, and
// space is left to buttons and links so it keeps activating them.

import type { AppStore } from '../store/createAppStore';

export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
}

export type Shortcut = 'toggle' | 'back' | 'forward' | null;

export function shortcutFor(
  key: string,
  target: KeyTarget | null,
  mods: { alt: boolean; ctrl: boolean; meta: boolean },
): Shortcut {
  if (mods.alt || mods.ctrl || mods.meta) return null;
  const tag = (target?.tagName ?? '').toUpperCase();
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || target?.isContentEditable) return null;
  if (key === ' ' || key === 'Spacebar')
    return tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' ? null : 'toggle';
  if (key === 'ArrowLeft') return 'back';
  if (key === 'ArrowRight') return 'forward';
  return null;
}

export function startKeyboard(store: AppStore): () => void {
  const onKey = (e: KeyboardEvent) => {
    const action = shortcutFor(e.key, e.target as KeyTarget | null, {
      alt: e.altKey,
      ctrl: e.ctrlKey,
      meta: e.metaKey,
    });
    if (!action) return;
    e.preventDefault();
    const s = store.getState();
    if (action === 'toggle') s.togglePlay();
    else if (action === 'back') s.stepBack();
    else s.stepForward();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
