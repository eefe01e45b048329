// The segments scan is one more form of the same computation: it must equal the float64 reference, the row
// kernel and the chunked scan at odd sizes (odd D, N not a multiple of 4, L not a multiple of a chunk or a
// segment, partial workgroups, two batches, grouped and fixed B/C, with and without z, D, bias and
// softplus), over several chunks so the carries between chunks and between segments are both exercised.
// The golden cases: engine/golden/selectiveScanSegments.test.ts (a family may not import the golden runner).

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { selectiveScan } from '../../reference/mamba';
import { relCheck } from '../../util/compare';
import { makeScanInputs } from './common';
import { selectiveScanRowGpu } from './selectiveScanRow';
import {
  SEGMENTS_BENCH_SHAPES,
  type SegmentsScanParams,
  segmentsLayout,
  segmentsSharedBytes,
  selectiveScanSegmentsGpu,
} from './selectiveScanSegments';
import { expectScanForms, scanCase } from './testing';

const TOL = 1e-4;

/** scanCase (batch 2, D 5, N 7, softplus, one group) with the segments layout's fields too. */
const segCase = (over: Partial<SegmentsScanParams> & Pick<SegmentsScanParams, 'L'>): SegmentsScanParams => ({
  ...scanCase({ L: over.L }),
  ...over,
});

/** The kernel against the float64 reference, the row kernel and the chunked scan. */
const allForms = async (
  p: Parameters<typeof selectiveScanSegmentsGpu>[1],
  seed: number,
  withOptional = true,
) =>
  expectScanForms(
    await testGpu(),
    selectiveScanSegmentsGpu,
    ['selectiveScanSegments'],
    p,
    seed,
    withOptional,
  );

describe('the segments selective scan (lanes on channels, rows of lanes on time segments)', () => {
  it('equals the reference, the row and the chunked scans: B=2, D=5, N=7, L=1000 (31 chunks of 32 and a part), z, D, bias, softplus', async () => {
    await allForms(segCase({ L: 1000, channels: 4, segments: 4, items: 8 }), 41);
  });

  it('equals them without the prefetch of the next chunk (the bench ablation), over chunks that end past L', async () => {
    await allForms(segCase({ L: 1000, channels: 4, segments: 3, items: 16, prefetch: false }), 40);
  });

  it('equals them at N=16 (four state groups), 3 channels a workgroup (D=5: a partial workgroup), segments of 4 steps', async () => {
    await allForms(segCase({ L: 200, N: 16, channels: 3, segments: 5, items: 4 }), 42);
  });

  it('equals them without z, D, bias or softplus, more channels a workgroup than rows, a chunk longer than L', async () => {
    await allForms(
      segCase({ L: 60, N: 5, deltaSoftplus: false, channels: 16, segments: 4, items: 16 }),
      43,
      false,
    );
  });

  it('equals them with one segment a chunk (the carry alone) and with one channel a workgroup', async () => {
    await allForms(segCase({ L: 88, N: 9, channels: 4, segments: 1, items: 8 }), 44);
    await allForms(segCase({ L: 120, channels: 1, segments: 8, items: 4 }), 45);
  });

  it('equals them with B in 5 groups and C in 2 (D=10) and with fixed B and C', async () => {
    await allForms(
      segCase({ L: 132, D: 10, N: 16, bGroups: 5, cGroups: 2, channels: 4, segments: 3, items: 8 }),
      46,
    );
    await allForms(segCase({ L: 100, bGroups: 0, cGroups: 0, channels: 2, segments: 4, items: 4 }), 47);
    await allForms(
      segCase({ L: 96, D: 6, N: 8, bGroups: 3, cGroups: 0, channels: 4, segments: 2, items: 16 }),
      48,
    );
  });

  it('equals the reference and the row kernel at each shape the bench times that this device holds: D=33, N=8 (so all fit 32 KiB), L=300', async () => {
    const gpu = await testGpu();
    const p = segCase({ L: 300, D: 33, N: 8 });
    const x = makeScanInputs(p, 49);
    const want = selectiveScan(p, x);
    const row = await selectiveScanRowGpu(gpu, p, x);
    const max = gpu.limits.maxComputeInvocationsPerWorkgroup;
    const shared = gpu.limits.maxComputeWorkgroupStorageSize;
    const shapes = SEGMENTS_BENCH_SHAPES.filter(
      ([cw, s, i]) => cw * s <= max && segmentsSharedBytes(cw, s, 2, i) <= shared,
    );
    expect(shapes.length).toBeGreaterThan(1);
    for (const [channels, segments, items] of shapes) {
      const got = await selectiveScanSegmentsGpu(gpu, { ...p, channels, segments, items }, x);
      expect(got.dispatches.map((d) => d.label)).toEqual(['selectiveScanSegments']);
      for (const other of [want, row]) {
        expect(relCheck(got.out, other.out, TOL).ok, `CW=${channels} S=${segments} I=${items}`).toBe(true);
        expect(relCheck(got.lastState, other.lastState, TOL).ok).toBe(true);
      }
    }
  });

  it('runs the chunked form where it cannot run (L not a multiple of 4), and says so', async () => {
    const gpu = await testGpu();
    const p = segCase({ L: 30 });
    const x = makeScanInputs(p, 3);
    const r = await selectiveScanSegmentsGpu(gpu, p, x);
    expect(r.dispatches[0].label).toMatch(/^selectiveScanChunked/);
    expect(relCheck(r.out, selectiveScan(p, x).out, TOL).ok).toBe(true);
  });

  it('refuses layouts the kernel or the device cannot hold, naming the limit', async () => {
    const gpu = await testGpu();
    const at = (over: Partial<SegmentsScanParams>) => segmentsLayout(gpu, segCase({ L: 64, N: 16, ...over }));
    expect(() => at({ items: 6 })).toThrow(/4, 8 or 16/);
    expect(() => at({ segments: 0 })).toThrow(/positive integer/);
    expect(() => at({ channels: 2.5 })).toThrow(/positive integer/);
    const max = gpu.limits.maxComputeInvocationsPerWorkgroup;
    expect(() => at({ channels: max, segments: 2 })).toThrow(/invocations/);
    expect(at({ channels: 16, segments: 4, items: 8 })).toMatchObject({
      chunk: 32,
      groups: 4,
      wg: 64,
      sharedBytes: 16 * (4 * 64 + 2 * 4 * 16 + 2 * 4 * 32),
    });
    expect(segmentsSharedBytes(32, 8, 4, 8)).toBe(16 * (4 * 256 + 2 * 4 * 32 + 2 * 4 * 64));
    expect(() => at({ channels: 1, segments: 4, items: 16 })).toThrow(/stage 64 vec4 .*at most 8/);
    const small = { ...gpu, limits: { ...gpu.limits, maxComputeWorkgroupStorageSize: 4096 } };
    expect(() => segmentsLayout(small, segCase({ L: 64, N: 16, channels: 16, segments: 4 }))).toThrow(
      /over 4096/,
    );
  });
});
