// Keyboard shortcuts for playback: space plays/pauses, ← and → step, Home and End go to the first and last
// step. Never while typing in a field; space is left to buttons and links so it keeps activating them, but
// on the focused scrubber it plays (a range input has no use for space, and the page must not scroll).
// A focused region that scrolls sideways keeps ←, →, Home and End (the keyboard's only way to scroll it),
// and a stage without playback (intro) leaves every key to the page, space included (it scrolls).

import type { AppStore } from '../store/createAppStore';

export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
  /** The element itself scrolls sideways (a ScrollRegion, the kernel source wider than its box). */
  scrollsX?: boolean;
}

export type Shortcut = 'toggle' | 'back' | 'forward' | 'first' | 'last' | null;

export function shortcutFor(
  key: string,
  target: KeyTarget | null,
  mods: { alt: boolean; ctrl: boolean; meta: boolean },
): Shortcut {
  if (mods.alt || mods.ctrl || mods.meta) return null;
  const tag = (target?.tagName ?? '').toUpperCase();
  if (tag === 'INPUT' && target?.type === 'range' && (key === ' ' || key === 'Spacebar')) return 'toggle';
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || target?.isContentEditable) return null;
  if (key === ' ' || key === 'Spacebar')
    return tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' ? null : 'toggle';
  if (target?.scrollsX && (key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home' || key === 'End'))
    return null;
  if (key === 'ArrowLeft') return 'back';
  if (key === 'ArrowRight') return 'forward';
  if (key === 'Home') return 'first';
  if (key === 'End') return 'last';
  return null;
}

export function startKeyboard(store: AppStore): () => void {
  const onKey = (e: KeyboardEvent) => {
    const el = e.target instanceof Element ? e.target : null;
    const target: KeyTarget | null = el && {
      tagName: el.tagName,
      isContentEditable: (el as HTMLElement).isContentEditable,
      type: (el as HTMLInputElement).type,
      scrollsX: el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX !== 'visible',
    };
    const action = shortcutFor(e.key, target, { alt: e.altKey, ctrl: e.ctrlKey, meta: e.metaKey });
    if (!action) return;
    // Stages without playback (intro, race) leave every key to the page.
    if (store.getState().n === 0) return;
    e.preventDefault();
    const s = store.getState();
    if (action === 'toggle') s.togglePlay();
    else if (action === 'back') s.stepBack();
    else if (action === 'forward') s.stepForward();
    else if (action === 'first') s.seek(0);
    else s.seek(s.n);
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
