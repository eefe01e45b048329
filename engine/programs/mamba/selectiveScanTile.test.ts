// The tile scan is one more form of the same computation: it must equal the float64 reference, the row
// kernel and the chunked scan at odd sizes (odd D, N not a multiple of W, L not a multiple of T, two
// batches, grouped and fixed B/C, with and without z, D, bias and softplus). The golden cases:
// engine/golden/selectiveScanTile.test.ts (a family may not import the golden runner).

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { selectiveScan } from '../../reference/mamba';
import { relCheck } from '../../util/compare';
import { makeScanInputs } from './common';
import { selectiveScanRowGpu } from './selectiveScanRow';
import {
  TILE_BENCH_SHAPES,
  type TileScanParams,
  selectiveScanTileGpu,
  tileLayout,
  tileWorkgroups,
} from './selectiveScanTile';
import { expectScanForms, scanCase } from './testing';

const TOL = 1e-4;

/** scanCase (batch 2, D 5, N 7, softplus, one group) with the tile layout's fields too. */
const tileCase = (over: Partial<TileScanParams> & Pick<TileScanParams, 'L'>): TileScanParams => ({
  ...scanCase({ L: over.L }),
  ...over,
});

/** The kernel against the float64 reference, the row kernel and the chunked scan. */
const allForms = async (p: Parameters<typeof selectiveScanTileGpu>[1], seed: number, withOptional = true) =>
  expectScanForms(await testGpu(), selectiveScanTileGpu, ['selectiveScanTile'], p, seed, withOptional);

describe('the tile selective scan (lanes on channel and states)', () => {
  it('equals the reference, the row and the chunked scans: B=2, D=5, N=7, L=1000 (not a multiple of T=32), z, D, bias, softplus', async () => {
    await allForms(tileCase({ L: 1000, chunk: 32, channels: 4 }), 31);
  });

  it('equals them at N=16 with two states a lane, 3 channels a workgroup (D=5: a partial workgroup), T=16', async () => {
    await allForms(tileCase({ L: 200, N: 16, chunk: 16, channels: 3, width: 2 }), 32);
  });

  it('equals them without z, D, bias or softplus, more channels a workgroup than D, a tile longer than L', async () => {
    await allForms(tileCase({ L: 60, N: 5, deltaSoftplus: false, chunk: 64, channels: 8 }), 33, false);
  });

  it('equals them with B in 5 groups and C in 2 (D=10: blocks of one channel) and with fixed B and C', async () => {
    await allForms(tileCase({ L: 132, D: 10, N: 16, bGroups: 5, cGroups: 2, chunk: 32, channels: 4 }), 34);
    await allForms(tileCase({ L: 100, bGroups: 0, cGroups: 0, chunk: 8, channels: 2 }), 35);
    await allForms(tileCase({ L: 96, D: 6, N: 8, bGroups: 3, cGroups: 0, chunk: 16, channels: 4 }), 36);
  });

  it('equals the reference and the row kernel at each shape the bench times: D=33, N=16, L=100', async () => {
    const gpu = await testGpu();
    const p = tileCase({ L: 100, D: 33, N: 16 });
    const x = makeScanInputs(p, 37);
    const want = selectiveScan(p, x);
    const row = await selectiveScanRowGpu(gpu, p, x);
    for (const [channels, chunk, width] of TILE_BENCH_SHAPES) {
      const got = await selectiveScanTileGpu(gpu, { ...p, channels, chunk, width }, x);
      expect(got.dispatches.map((d) => d.label)).toEqual(['selectiveScanTile']);
      for (const other of [want, row]) {
        expect(relCheck(got.out, other.out, TOL).ok, `K=${channels} T=${chunk} W=${width}`).toBe(true);
        expect(relCheck(got.lastState, other.lastState, TOL).ok).toBe(true);
      }
    }
  });

  it('counts its workgroups: per batch, blocks sharing a B and a C group, each in ⌈q / K⌉ workgroups', () => {
    expect(tileWorkgroups(tileCase({ L: 8, D: 4096, batch: 1 }), 16)).toBe(256);
    expect(tileWorkgroups(tileCase({ L: 8, D: 5 }), 4)).toBe(4);
    expect(tileWorkgroups(tileCase({ L: 8, D: 10, bGroups: 5, cGroups: 2 }), 4)).toBe(20);
    expect(tileWorkgroups(tileCase({ L: 8, D: 12, bGroups: 2, cGroups: 0 }), 4)).toBe(8);
  });

  it('runs the chunked form where it cannot run (L not a multiple of 4, complex A), and says so', async () => {
    const gpu = await testGpu();
    const p = tileCase({ L: 30, chunk: 32 });
    const r = await selectiveScanTileGpu(gpu, p, makeScanInputs(p, 3));
    expect(r.dispatches[0].label).toMatch(/^selectiveScanChunked/);
    expect(relCheck(r.out, selectiveScan(p, makeScanInputs(p, 3)).out, TOL).ok).toBe(true);
  });

  it('takes softplus in all three of its ranges (δ + bias past 20, exp under 1e-4, between), lanes of a warp in different ones', async () => {
    const gpu = await testGpu();
    const p = tileCase({ L: 96, D: 8, N: 16, chunk: 32, channels: 4 });
    const x = makeScanInputs(p, 44);
    // δ + bias from −30 to 100 (exp overflows past 88) along each row, so one tile's lanes straddle the ranges.
    const delta = Float64Array.from(x.delta, (_, i) => -30 + ((i * 7) % 131) + 0.25);
    const y = { ...x, delta };
    const want = selectiveScan(p, y);
    const got = await selectiveScanTileGpu(gpu, p, y);
    expect(got.dispatches.map((d) => d.label)).toEqual(['selectiveScanTile']);
    expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
    expect(relCheck(got.lastState, want.lastState, TOL).ok).toBe(true);
  });

  it('refuses layouts the kernel or the device cannot hold, naming the limit', async () => {
    const gpu = await testGpu();
    const at = (over: Partial<TileScanParams>) => tileLayout(gpu, tileCase({ L: 64, N: 16, ...over }));
    expect(() => at({ width: 3 as 2 })).toThrow(/2 or 4/);
    expect(() => at({ chunk: 30 })).toThrow(/multiple of 4/);
    expect(() => at({ channels: 1, chunk: 64 })).toThrow(/prefetch slots/);
    const max = gpu.limits.maxComputeInvocationsPerWorkgroup;
    expect(() => at({ channels: max })).toThrow(/invocations/);
    expect(at({ channels: 16, chunk: 32 })).toMatchObject({
      lanes: 4,
      wg: 64,
      sharedBytes: 4 * (2 * 4 * 16 * 9 + 2 * 4 * 32 * 4 + 4 * 64 * 9),
    });
    const big = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupStorageSize: 16384 } };
    expect(() => tileLayout(big, tileCase({ L: 64, N: 16, channels: 16, chunk: 32 }))).toThrow(/over 16384/);
  });
});
