// The app's one store instance and its React hook. main.tsx installs the store (built from the URL)
// before the first render; everything else reads it through appStore() or useApp(selector).

import { useStore } from 'zustand';
import type { AppStore } from './createAppStore';
import type { AppState } from './types';

let current: AppStore | null = null;

export function installStore(store: AppStore): void {
  current = store;
}

export function appStore(): AppStore {
  if (!current) throw new Error('the app store is not installed yet');
  return current;
}

/** Narrow selectors only: select the fields a component shows, not the whole state. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore(), selector);
}
