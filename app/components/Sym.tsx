// Symbol links between the math and the diagram, both ways: hovering or focusing a symbol in the prose
// (<Sym s="h" tex="h_t" />) highlights every diagram part bound with useSym('h'), and hovering or focusing
// that part highlights the symbol. One store field (ui.highlight) holds the linked symbol.

import type { FocusEvent, MouseEvent } from 'react';
import { appStore, useApp } from '../store';
import { Tex } from './Tex';

export interface SymBinding {
  'data-sym': string;
  className: string;
  onMouseEnter(e: MouseEvent): void;
  onMouseLeave(e: MouseEvent): void;
  onFocus(e: FocusEvent): void;
  onBlur(e: FocusEvent): void;
}

/** Whether symbol `s` is highlighted, and the handlers that highlight it from this element. */
export function useSym(s: string, className = ''): { active: boolean; bind: SymBinding } {
  const active = useApp((st) => st.highlight === s);
  const setHighlight = useApp((st) => st.setHighlight);
  const on = () => setHighlight(s);
  // Only this symbol's own highlight: leaving one symbol must not clear another that has the focus.
  const off = () => {
    if (appStore().getState().highlight === s) setHighlight(null);
  };
  return {
    active,
    bind: {
      'data-sym': s,
      className: `${className} sym-link${active ? ' sym-active' : ''}`.trim(),
      onMouseEnter: on,
      onMouseLeave: off,
      onFocus: on,
      onBlur: off,
    },
  };
}

/** A symbol in the prose, focusable, linked to the diagram parts bound with useSym(s). */
export function Sym({ s, tex, label }: { s: string; tex: string; label?: string }) {
  const { bind } = useSym(s, 'sym');
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focus is how keyboard readers reach the link.
    <span tabIndex={0} {...bind}>
      <Tex tex={tex} label={label} />
    </span>
  );
}
