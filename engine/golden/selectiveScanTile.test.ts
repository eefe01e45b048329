// The real-A golden selective-scan cases with the tile scan as the WebGPU backend
// (engine/golden/fusedScanCases.ts): those whose L is a multiple of 4 on the tile kernel itself.

import { describe, expect, it } from 'vitest';
import { selectiveScanTileGpu } from '../programs/mamba/selectiveScanTile';
import { passGoldenScans } from './fusedScanCases';

describe('the tile selective scan on the golden cases', () => {
  it('passes the real-A golden scan cases through the golden runner, the two whose L is a multiple of 4 on the tile kernel itself', async () => {
    const own = await passGoldenScans(
      (g, p, x) => selectiveScanTileGpu(g, { ...p, chunk: 8, channels: 2 }, x),
      'selectiveScanTile',
    );
    expect(own).toEqual(['selective_scan_basic_varBC', 'selective_scan_mamba_init_softplus']);
  });
});
