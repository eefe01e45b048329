// The real-A golden selective-scan cases with the split scan as the WebGPU backend
// (engine/golden/fusedScanCases.ts): those whose L is a multiple of 4 on its three kernels (in two chunks).

import { describe, expect, it } from 'vitest';
import { selectiveScanSplitGpu } from '../programs/mamba/selectiveScanSplit';
import { passGoldenScans } from './fusedScanCases';

describe('the split selective scan on the golden cases', () => {
  it('passes the real-A golden scan cases through the golden runner, the two whose L is a multiple of 4 on its own kernels', async () => {
    const own = await passGoldenScans(
      (g, p, x) => selectiveScanSplitGpu(g, { ...p, chunk: 4, channels: 2, split: 2, soft: 1 }, x),
      'selectiveScanSplit.state',
    );
    expect(own).toEqual(['selective_scan_basic_varBC', 'selective_scan_mamba_init_softplus']);
  });
});
