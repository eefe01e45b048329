// Tests of the shortcut mapping: which key does what, and where shortcuts stay silent.

import { describe, expect, it } from 'vitest';
import { shortcutFor } from './keyboard';

const none = { alt: false, ctrl: false, meta: false };

describe('keyboard shortcuts', () => {
  it('space toggles play and the arrows step when focus is on the page', () => {
    expect(shortcutFor(' ', { tagName: 'BODY' }, none)).toBe('toggle');
    expect(shortcutFor('ArrowLeft', { tagName: 'DIV' }, none)).toBe('back');
    expect(shortcutFor('ArrowRight', null, none)).toBe('forward');
    expect(shortcutFor('x', { tagName: 'BODY' }, none)).toBeNull();
  });

  it('nothing fires while typing in an input, select, textarea or editable element', () => {
    for (const tagName of ['INPUT', 'SELECT', 'TEXTAREA'])
      for (const key of [' ', 'ArrowLeft', 'ArrowRight'])
        expect(shortcutFor(key, { tagName }, none)).toBeNull();
    expect(shortcutFor(' ', { tagName: 'DIV', isContentEditable: true }, none)).toBeNull();
  });

  it('space is left to buttons and links, arrows still step there; modified keys are ignored', () => {
    expect(shortcutFor(' ', { tagName: 'BUTTON' }, none)).toBeNull();
    expect(shortcutFor('ArrowRight', { tagName: 'BUTTON' }, none)).toBe('forward');
    expect(shortcutFor('ArrowLeft', { tagName: 'BODY' }, { ...none, alt: true })).toBeNull();
  });

  it('space on the focused scrubber plays instead of scrolling the page; Home and End jump', () => {
    expect(shortcutFor(' ', { tagName: 'INPUT', type: 'range' }, none)).toBe('toggle');
    expect(shortcutFor(' ', { tagName: 'INPUT', type: 'text' }, none)).toBeNull();
    expect(shortcutFor('Home', { tagName: 'BODY' }, none)).toBe('first');
    expect(shortcutFor('End', { tagName: 'BUTTON' }, none)).toBe('last');
  });

  it('a focused region that scrolls sideways keeps the arrows, Home and End; space still plays there', () => {
    const region = { tagName: 'SECTION', scrollsX: true };
    for (const key of ['ArrowLeft', 'ArrowRight', 'Home', 'End'])
      expect(shortcutFor(key, region, none)).toBeNull();
    expect(shortcutFor(' ', region, none)).toBe('toggle');
    expect(shortcutFor('ArrowRight', { tagName: 'SECTION', scrollsX: false }, none)).toBe('forward');
  });
});
