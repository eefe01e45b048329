// The split scan is one more form of the same computation: it must equal the float64 reference and the
// tile kernel on the GPU (one form vs another) at odd sizes (odd D, N not a multiple of W, L not a
// multiple of the chunk, L shorter than one chunk, two batches, grouped and fixed B/C, with and without z,
// D, bias and softplus), with its exponentials on the SFU and on the FMA units. The golden cases:
// engine/golden/selectiveScanSplit.test.ts (a family may not import the golden runner).

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { selectiveScan } from '../../reference/mamba';
import { relCheck } from '../../util/compare';
import { makeScanInputs } from './common';
import {
  SPLIT_BENCH_SHAPES,
  type SplitScanParams,
  chunkFloats,
  selectiveScanSplitGpu,
  splitAt,
  splitChunks,
  splitLayout,
} from './selectiveScanSplit';
import { selectiveScanTileGpu } from './selectiveScanTile';
import { kernelScanInputs, scanCase } from './testing';

const TOL = 1e-4;
const LABELS = ['selectiveScanSplit.state', 'selectiveScanSplit.carry', 'selectiveScanSplit.out'];

/** scanCase (batch 2, D 5, N 7, softplus, one group) with the split layout's fields too. */
const splitCase = (over: Partial<SplitScanParams> & Pick<SplitScanParams, 'L'>): SplitScanParams => ({
  ...scanCase({ L: over.L }),
  ...over,
});

/** The split scan against the float64 reference and the tile kernel; returns the layout it ran. */
async function bothForms(p: SplitScanParams, seed: number, withOptional = true) {
  const gpu = await testGpu();
  const before = gpu.liveBuffers.size;
  const x = kernelScanInputs(p, seed, withOptional);
  const want = selectiveScan(p, x);
  const got = await selectiveScanSplitGpu(gpu, p, x);
  expect(got.dispatches.map((d) => d.label)).toEqual(LABELS);
  const tile = await selectiveScanTileGpu(gpu, { ...p, chunk: undefined, channels: undefined }, x);
  for (const [name, other] of [
    ['reference', want],
    ['tile', tile],
  ] as const) {
    expect(relCheck(got.out, other.out, TOL).ok, `out vs ${name}`).toBe(true);
    expect(relCheck(got.lastState, other.lastState, TOL).ok, `last state vs ${name}`).toBe(true);
  }
  expect(gpu.liveBuffers.size).toBe(before);
  return splitLayout(gpu, p);
}

describe('the split selective scan (chunk states, carry, output pass)', () => {
  it('equals the reference and the tile scan: B=2, D=5, N=7, L=1000 in 3 chunks of 336 (the last 328), z, D, bias, softplus', async () => {
    const l = await bothForms(splitCase({ L: 1000, split: 3, chunk: 16, channels: 4 }), 41);
    expect([l.chunks, l.span]).toEqual([3, 336]);
  });

  it('equals them at N=16, two states a lane, 3 channels a workgroup (D=5: a partial one), 6 chunks', async () => {
    await bothForms(splitCase({ L: 200, N: 16, split: 6, chunk: 16, channels: 3, width: 2 }), 42);
  });

  it('equals them with every exponential on the FMA units (soft = softOut = W), N=16 and N=7', async () => {
    await bothForms(splitCase({ L: 260, N: 16, split: 4, soft: 4, softOut: 4 }), 43);
    await bothForms(splitCase({ L: 132, split: 2, chunk: 8, channels: 2, soft: 2, softOut: 1 }), 44);
  });

  it('equals them without z, D, bias or softplus, L shorter than one chunk (one chunk, one partial tile)', async () => {
    const l = await bothForms(
      splitCase({ L: 60, N: 5, deltaSoftplus: false, chunk: 64, channels: 8 }),
      45,
      false,
    );
    expect([l.chunks, l.span]).toEqual([1, 64]);
  });

  it('equals them with B in 5 groups and C in 2 (D=10: blocks of one channel) and with fixed B and C', async () => {
    await bothForms(splitCase({ L: 132, D: 10, N: 16, bGroups: 5, cGroups: 2, split: 4, channels: 4 }), 46);
    await bothForms(splitCase({ L: 100, bGroups: 0, cGroups: 0, split: 5, chunk: 8, channels: 2 }), 47);
    await bothForms(splitCase({ L: 96, D: 6, N: 8, bGroups: 3, cGroups: 0, split: 2, channels: 4 }), 48);
  });

  it('equals the reference and the tile scan at each shape the bench times: D=33, N=16, L=520', async () => {
    const gpu = await testGpu();
    const p = splitCase({ L: 520, D: 33, N: 16 });
    const x = makeScanInputs(p, 49);
    const want = selectiveScan(p, x);
    const tile = await selectiveScanTileGpu(gpu, p, x);
    for (const s of SPLIT_BENCH_SHAPES) {
      const at = splitAt(p, s);
      const got = await selectiveScanSplitGpu(gpu, at, x);
      expect(got.dispatches.map((d) => d.label)).toEqual(LABELS);
      // D=33 is small: each shape splits L as far as the 64-step floor lets it (6 or 7 whole-tile chunks).
      expect(splitLayout(gpu, at).chunks).toBeGreaterThanOrEqual(6);
      for (const other of [want, tile]) {
        const shape = JSON.stringify(s);
        expect(relCheck(got.out, other.out, TOL).ok, shape).toBe(true);
        expect(relCheck(got.lastState, other.lastState, TOL).ok, shape).toBe(true);
      }
    }
  });

  it('picks its chunks from the lanes it aims at: S=32 of 128 steps at D=4096, L=4K; never under 64 steps', () => {
    const rows = 4096 * 4;
    expect(splitChunks(4096, 16, rows)).toEqual({ chunks: 32, span: 128 });
    expect(splitChunks(16384, 16, rows)).toEqual({ chunks: 32, span: 512 });
    expect(splitChunks(16384, 32, rows, undefined, 2 ** 18)).toEqual({ chunks: 16, span: 1024 });
    expect(splitChunks(512, 16, rows)).toEqual({ chunks: 8, span: 64 });
    expect(splitChunks(100, 16, rows)).toEqual({ chunks: 1, span: 112 });
    // An asked-for split is rounded to whole tiles: 1000 / 3 → 336 steps, three chunks.
    expect(splitChunks(1000, 16, rows, 3)).toEqual({ chunks: 3, span: 336 });
    expect(splitChunks(40, 16, rows, 9)).toEqual({ chunks: 3, span: 16 });
  });

  it('runs the chunked form where it cannot run (L not a multiple of 4), and says so', async () => {
    const gpu = await testGpu();
    const p = splitCase({ L: 30, split: 2 });
    const r = await selectiveScanSplitGpu(gpu, p, makeScanInputs(p, 3));
    expect(r.dispatches[0].label).toMatch(/^selectiveScanChunked/);
    expect(relCheck(r.out, selectiveScan(p, makeScanInputs(p, 3)).out, TOL).ok).toBe(true);
  });

  it('refuses layouts the kernels or the device cannot hold, naming the limit', async () => {
    const gpu = await testGpu();
    const at = (over: Partial<SplitScanParams>) => splitLayout(gpu, splitCase({ L: 64, N: 16, ...over }));
    expect(() => at({ width: 3 as 2 })).toThrow(/2 or 4/);
    expect(() => at({ chunk: 30 })).toThrow(/multiple of 4/);
    expect(() => at({ split: 0 })).toThrow(/split/);
    expect(() => at({ soft: 5 })).toThrow(/0 to 4/);
    const max = gpu.limits.maxComputeInvocationsPerWorkgroup;
    expect(() => at({ channels: max })).toThrow(/invocations/);
    const l = at({ channels: 16, chunk: 16, split: 1 });
    expect(l).toMatchObject({
      lanes: 4,
      wg: 64,
      sharedBytes: 4 * (2 * 4 * 16 * 5 + 2 * 4 * 16 * 4 + 4 * 64 * 5),
    });
    // Two batches × 5 channels, one chunk: 4 lanes of 4 states and one Σδ' vector each.
    expect(chunkFloats(splitCase({ L: 64, N: 16 }), l)).toBe(10 * 5 * 4);
    const small = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupStorageSize: 8192 } };
    expect(() => splitLayout(small, splitCase({ L: 64, N: 16 }))).toThrow(/over 8192/);
  });
});
