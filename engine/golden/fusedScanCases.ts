// The real-A golden selective-scan cases (../shared/golden/vectors) through the golden runner with one fused
// scan as the WebGPU backend, for the fused scans' golden tests (selectiveScanTile, selectiveScanSplit,
// selectiveScanSegments .test.ts here): a program family may not import the golden runner
// (engine/architecture.test.ts). Those whose L is a multiple of 4 run the scan's own kernels, the others the
// chunked form it falls back to.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Gpu } from '../gpu/device';
import { testGpu } from '../node/testGpu';
import { type SelectiveScanInputs, type SelectiveScanParams, selectiveScan } from '../reference/mamba';
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

interface ScanRun {
  out: ArrayLike<number>;
  lastState: ArrayLike<number>;
  dispatches: ReadonlyArray<{ label: string }>;
}

/**
 * Runs every real-A golden scan case on `run` and expects each to pass on the CPU and on the GPU; returns
 * the names of the cases whose first dispatch was the scan's own (its label starts with `own`).
 */
export async function passGoldenScans(
  run: (gpu: Gpu, p: SelectiveScanParams, x: SelectiveScanInputs) => Promise<ScanRun>,
  own: string,
): Promise<string[]> {
  const gpu = await testGpu();
  let ownRan = false;
  const adapter = caseAdapter(
    scanFromCase,
    ({ p, x }) => selectiveScan(p, x),
    async (g, { p, x }) => {
      const r = await run(g, p, x);
      if (r.dispatches[0].label.startsWith(own)) ownRan = true;
      return r;
    },
    (r: Pick<ScanRun, 'out' | 'lastState'>) => ({ out: r.out, last_state: r.lastState }),
  );
  const names: string[] = [];
  for (const name of GOLDEN_SCANS) {
    const c = parseCase(name, JSON.parse(readFileSync(join(GOLDEN, `${name}.json`), 'utf8')));
    ownRan = false;
    const results = await runCase(c, { selective_scan_ref: adapter }, gpu);
    if (ownRan) names.push(name);
    expect(
      results.map((r) => [r.name, r.backend, r.pass, r.note]),
      JSON.stringify(results),
    ).toEqual([
      [name, 'cpu', true, undefined],
      [name, 'webgpu', true, undefined],
    ]);
  }
  return names;
}
