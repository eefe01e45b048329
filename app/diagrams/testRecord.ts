// A dispatch record written by hand for the diagrams' tests: a one-workgroup `main` with no sources,
// constants or bindings, changed by `patch` where a test needs more.

import type { DispatchRecord } from '../../engine';

export const testRecord = (patch: Partial<DispatchRecord>): DispatchRecord => ({
  label: 'test.kernel',
  sources: [],
  entryPoint: 'main',
  constants: {},
  prelude: '',
  workgroups: [1, 1, 1],
  bindings: [],
  ...patch,
});
