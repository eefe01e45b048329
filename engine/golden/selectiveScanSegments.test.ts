// The real-A golden selective-scan cases (../shared/golden/vectors) through the golden runner with the
// segments scan as the WebGPU backend: those whose L is a multiple of 4 run the segments kernel itself, the others
// the chunked form it falls back to (engine/programs/mamba/selectiveScanSegments.ts). It sits here, not beside
// the kernel, because a program family may not import the golden runner (engine/architecture.test.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../node/testGpu';
import { rowUnfit } from '../programs/mamba/selectiveScanRow';
import { selectiveScanSegmentsGpu } from '../programs/mamba/selectiveScanSegments';
import { selectiveScan } from '../reference/mamba';
import { caseAdapter } from './adapters/checked';
import { scanFromCase } from './adapters/mamba';
import { parseCase } from './format';
import { runCase } from './runner';

const GOLDEN = join(__dirname, '../../../shared/golden/vectors');
const GOLDEN_SCANS = [
  'selective_scan_basic_varBC',
  'selective_scan_fixedBC',
  'selective_scan_full_groups2',
  'selective_scan_mamba_init_softplus',
];

describe('the segments selective scan on the golden cases', () => {
  it('passes the real-A golden scan cases through the golden runner, the two whose L is a multiple of 4 on the segments kernel itself', async () => {
    const gpu = await testGpu();
    const adapter = caseAdapter(
      scanFromCase,
      ({ p, x }) => selectiveScan(p, x),
      (g, { p, x }) => selectiveScanSegmentsGpu(g, { ...p, channels: 2, segments: 3, items: 4 }, x),
      (r: { out: ArrayLike<number>; lastState: ArrayLike<number> }) => ({
        out: r.out,
        last_state: r.lastState,
      }),
    );
    const ran: string[] = [];
    for (const name of GOLDEN_SCANS) {
      const c = parseCase(name, JSON.parse(readFileSync(join(GOLDEN, `${name}.json`), 'utf8')));
      if (!rowUnfit(scanFromCase(c).p)) ran.push(name);
      const results = await runCase(c, { selective_scan_ref: adapter }, gpu);
      expect(
        results.map((r) => [r.name, r.backend, r.pass, r.note]),
        JSON.stringify(results),
      ).toEqual([
        [name, 'cpu', true, undefined],
        [name, 'webgpu', true, undefined],
      ]);
    }
    expect(ran).toEqual(['selective_scan_basic_varBC', 'selective_scan_mamba_init_softplus']);
  });
});
