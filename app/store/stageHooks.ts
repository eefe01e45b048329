// The store's opaque stage result and step cache, typed by the stage that reads them. The previous result
// stays readable while a new one computes (status 'running'), so views never flicker.

import { useApp } from '.';

export function useStageResult<R>(): R | null {
  return useApp((s) =>
    s.compute.status === 'ready' || s.compute.status === 'running' ? (s.compute.result as R | null) : null,
  );
}

export function useStageSteps<S>(): readonly S[] {
  return useApp((s) => s.steps as readonly S[]);
}
