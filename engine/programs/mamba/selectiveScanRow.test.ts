import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { type SelectiveScanParams, selectiveScan } from '../../reference/mamba';
import { relCheck } from '../../util/compare';
import { makeScanInputs } from './common';
import { rowLayout, rowUnfit, selectiveScanRowGpu } from './selectiveScanRow';
import { selectiveScanSequentialGpu } from './selectiveScanSequential';
import { scanCase } from './testing';

const TOL = 1e-4;

/** The row kernel (subgroup scans where offered, and the workgroup-memory scan) against the sequential scan and the reference. */
async function bothScans(p: SelectiveScanParams, seed: number) {
  const gpu = await testGpu();
  const before = gpu.liveBuffers.size;
  const x = makeScanInputs(p, seed);
  const want = selectiveScan(p, x);
  const seq = await selectiveScanSequentialGpu(gpu, p, x);
  const forms = [await selectiveScanRowGpu(gpu, p, x, { subgroups: false })];
  if (gpu.features.subgroups) forms.push(await selectiveScanRowGpu(gpu, p, x, { subgroups: true }));
  for (const got of forms) {
    expect(got.dispatches.map((d) => d.label)).toEqual([
      got === forms[0] ? 'selectiveScanRow.shared' : 'selectiveScanRow.subgroup',
    ]);
    expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
    expect(relCheck(got.lastState, want.lastState, TOL).ok).toBe(true);
    expect(relCheck(got.out, seq.out, TOL).ok).toBe(true);
  }
  expect(gpu.liveBuffers.size).toBe(before);
}

describe('the row selective scan (one workgroup per channel)', () => {
  it('equals the sequential scan and the CPU reference over several chunks: B=2, D=5, N=7, L=1000 (N not a multiple of 4), chunk 32·8', async () => {
    await bothScans(scanCase({ L: 1000, chunk: 256, items: 8 }), 21);
  });

  it('equals them with fixed B and C, B in 5 groups and C fixed, 16 steps per invocation, a partial last chunk', async () => {
    await bothScans(scanCase({ L: 520, bGroups: 0, cGroups: 0, chunk: 512, items: 16 }), 22);
    await bothScans(scanCase({ L: 68, bGroups: 5, cGroups: 0, N: 16, chunk: 128, items: 4 }), 23);
  });

  it('runs the chunked form where it cannot run, and says so in its records', async () => {
    const gpu = await testGpu();
    const p = scanCase({ L: 30 });
    expect(rowUnfit(p)).toMatch(/multiple of 4/);
    expect(rowUnfit({ ...p, L: 32, complex: true })).toBe('complex A');
    const r = await selectiveScanRowGpu(gpu, p, makeScanInputs(p, 3));
    expect(r.dispatches[0].label).toMatch(/^selectiveScanChunked/);
  });

  it('refuses a workgroup that is not a power of two from 32, and items other than 4, 8, 16', async () => {
    const gpu = await testGpu();
    expect(() => rowLayout(gpu, scanCase({ L: 64, chunk: 48 * 8, items: 8 }))).toThrow(/power of two/);
    expect(() => rowLayout(gpu, scanCase({ L: 64, items: 2 }))).toThrow(/4, 8 or 16/);
    expect(rowLayout(gpu, scanCase({ L: 64 }))).toMatchObject({ wg: 128, items: 8, chunk: 1024, groups: 2 });
  });
});
