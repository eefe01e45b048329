// The real-A golden selective-scan cases with the segments scan as the WebGPU backend
// (engine/golden/fusedScanCases.ts): those whose L is a multiple of 4 on its own kernel.

import { describe, expect, it } from 'vitest';
import { selectiveScanSegmentsGpu } from '../programs/mamba/selectiveScanSegments';
import { passGoldenScans } from './fusedScanCases';

describe('the segments selective scan on the golden cases', () => {
  it('passes the real-A golden scan cases through the golden runner, the two whose L is a multiple of 4 on the segments kernel itself', async () => {
    const own = await passGoldenScans(
      (g, p, x) => selectiveScanSegmentsGpu(g, { ...p, channels: 2, segments: 3, items: 4 }, x),
      'selectiveScanSegments',
    );
    expect(own).toEqual(['selective_scan_basic_varBC', 'selective_scan_mamba_init_softplus']);
  });
});
