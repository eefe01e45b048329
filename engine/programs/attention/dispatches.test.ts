// The attention family's dispatch layer: records of what ran (kernel, override constants, grid, bound
// buffers), chains of dispatch builders in one submission, and grids folded past 65,535 workgroups.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { runDispatches } from '../../gpu/kernel';
import { BufferScope, readF32 } from '../../gpu/tensor';
import { testGpu } from '../../node/testGpu';
import { softmaxAttention } from '../../reference/attention';
import { traceBuffer } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { attentionSizes, flashWorkgroupSize, makeAttentionInputs } from './common';
import { flashAttentionDispatch, flashAttentionGpu } from './flashAttention';
import { flashDecodingGpu } from './flashDecoding';
import { naiveAttentionDispatch, naiveAttentionGpu } from './naiveAttention';

const TOL = 1e-4;

/** The same device, claiming a per-dimension grid limit of `max` workgroups. */
const withGridLimit = (gpu: Gpu, max: number): Gpu => ({
  ...gpu,
  limits: { ...gpu.limits, maxComputeWorkgroupsPerDimension: max },
});

describe('attention dispatches', () => {
  it('a FlashAttention run records its kernel, tile sizes as override constants, its grid and the buffers bound with their sizes (b=2, sq=77, sk=203, h=4/2, d=16, Br=16, Bc=24)', async () => {
    const gpu = await testGpu();
    const p = { b: 2, sq: 77, sk: 203, h: 4, hk: 2, d: 16, causal: true, Br: 16, Bc: 24 };
    const { dispatches } = await flashAttentionGpu(gpu, p, makeAttentionInputs(p, 1));
    expect(dispatches.length).toBe(1);
    const [d] = dispatches;
    expect(d.label).toBe('flashAttention.forward');
    expect(d.entryPoint).toBe('main');
    expect(d.sources).toContain('attention/flashTile.wgsl');
    expect(d.sources).toContain('attention/flashAttention.wgsl');
    expect(d.constants).toEqual({ BR: 16, BC: 24, WG: flashWorkgroupSize(16, 16), TRACE: 0 });
    expect(d.prelude).toContain('const T_Q: u32 = 0u;');
    expect(d.prelude).toContain('const D: u32 = 16u;');
    // One workgroup per (Q tile, head, batch): ceil(77/16) · 4 · 2 = 40.
    expect(d.workgroups).toEqual([40, 1, 1]);
    const n = attentionSizes(p);
    const bytes = Object.fromEntries(d.bindings.map((b) => [b.name, b.bytes]));
    expect(bytes).toMatchObject({ q: 4 * n.q, k: 4 * n.k, v: 4 * n.v, o: 4 * n.o, lse: 4 * n.lse });
    expect(bytes.p).toBeGreaterThanOrEqual(4 * 19);
    expect(d.bindings.map((b) => [b.binding, b.name, b.access])).toEqual([
      [0, 'p', 'uniform'],
      [1, 'q', 'read'],
      [2, 'k', 'read'],
      [3, 'v', 'read'],
      [4, 'o', 'read_write'],
      [5, 'lse', 'read_write'],
      [6, 'trace', 'read_write'],
    ]);
    expect(d.bindings.find((b) => b.name === 'q')?.label).toBe('flashAttention.q');
  });

  it('naive attention records scores, softmax, PV per slice, and FlashDecoding split then combine', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 23, sk: 31, h: 2, hk: 1, d: 8, causal: true };
    const x = makeAttentionInputs(p, 2);
    const naive = await naiveAttentionGpu(gpu, p, x, { maxSliceBytes: 10 * p.sk * 4 });
    expect(naive.slices).toBe(2 * 3);
    expect(naive.dispatches.map((d) => d.label)).toEqual(
      Array(6).fill(['naiveAttention.scores', 'naiveAttention.softmax', 'naiveAttention.pv']).flat(),
    );
    expect(naive.dispatches[0].constants).toEqual({ TS: 16, TRACE: 0 });
    // Slice rows 10: ceil(31/16) · ceil(10/16) = 2 score tiles, 10 softmax rows.
    expect(naive.dispatches[0].workgroups).toEqual([2, 1, 1]);
    expect(naive.dispatches[1].workgroups).toEqual([10, 1, 1]);
    expect(naive.dispatches[8].workgroups).toEqual([3, 1, 1]); // the last slice: rows 20..22
    const dec = await flashDecodingGpu(gpu, { ...p, splits: 4, form: 'portable' }, x);
    expect(dec.dispatches.map((d) => [d.label, d.workgroups])).toEqual([
      ['flashDecoding.split', [2 * 23 * 4, 1, 1]],
      ['flashDecoding.combine', [2 * 23, 1, 1]],
    ]);
    if (gpu.features.subgroupSize) {
      // The subgroup split serves both query heads of the one KV head: half the workgroups.
      const sg = await flashDecodingGpu(gpu, { ...p, splits: 4 }, x);
      expect(sg.dispatches.map((d) => [d.label, d.workgroups])).toEqual([
        ['flashDecoding.splitSubgroup', [23 * 4, 1, 1]],
        ['flashDecoding.combine', [2 * 23, 1, 1]],
      ]);
    }
  });

  it('flash and naive dispatches chained in one submission on the same q, k, v give the same O and lse', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const p = { b: 1, sq: 37, sk: 45, h: 2, hk: 2, d: 8, causal: true, Br: 8, Bc: 16 };
    const x = makeAttentionInputs(p, 7);
    const n = attentionSizes(p);
    const scope = new BufferScope(gpu, 'chain');
    try {
      const [q, k, v] = [scope.upload('q', x.q), scope.upload('k', x.k), scope.upload('v', x.v)];
      const trace = traceBuffer(scope, 1);
      const out = (name: string) => ({
        o: scope.storage(`${name}.o`, 4 * n.o),
        lse: scope.storage(`${name}.lse`, 4 * n.lse),
      });
      const [flash, naive] = [out('flash'), out('naive')];
      const ds = [
        await flashAttentionDispatch(gpu, scope, p, { q, k, v, trace, ...flash }),
        ...(await naiveAttentionDispatch(gpu, scope, p, { q, k, v, trace, ...naive }, { sliceRows: 37 })),
      ];
      const { dispatches } = await runDispatches(gpu, 'chain', ds);
      expect(dispatches.length).toBe(1 + 3 * p.h);
      const want = softmaxAttention(x.q, x.k, x.v, p, true);
      for (const got of [flash, naive]) {
        expect(relCheck(await readF32(gpu, got.o, n.o), want.out, TOL).ok).toBe(true);
        expect(relCheck(await readF32(gpu, got.lse, n.lse), want.lse, TOL).ok).toBe(true);
      }
    } finally {
      scope.release();
    }
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

describe('attention grids folded past the per-dimension limit', () => {
  it('FlashAttention over 70,001 heads (b=1, sq=sk=1, d=1, Br=Bc=1) folds its grid and gives out = v, lse = q·k', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const p = { b: 1, sq: 1, sk: 1, h: 70001, hk: 70001, d: 1, causal: true, Br: 1, Bc: 1, scale: 1 };
    const x = makeAttentionInputs(p, 3);
    const r = await flashAttentionGpu(gpu, p, x);
    const [wx, wy, wz] = r.dispatches[0].workgroups;
    expect(wx * wy * wz).toBeGreaterThanOrEqual(70001);
    expect(Math.max(wx, wy, wz)).toBeLessThanOrEqual(gpu.limits.maxComputeWorkgroupsPerDimension);
    expect(relCheck(r.outputs.out, x.v, TOL).ok).toBe(true);
    expect(
      relCheck(
        r.outputs.lse,
        x.q.map((qi, i) => qi * x.k[i]),
        TOL,
      ).ok,
    ).toBe(true);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('with a grid limit of 9 workgroups per dimension, flash, naive and FlashDecoding fold into y and z and still equal the reference (b=2, sq=37, sk=29, h=3)', async () => {
    const real = await testGpu();
    const before = real.liveBuffers.size;
    const gpu = withGridLimit(real, 9);
    const p = { b: 2, sq: 37, sk: 29, h: 3, hk: 1, d: 8, causal: true, Br: 4, Bc: 8 };
    const x = makeAttentionInputs(p, 5);
    const want = softmaxAttention(x.q, x.k, x.v, p, true);
    const runs = [
      await flashAttentionGpu(gpu, p, x),
      await naiveAttentionGpu(gpu, p, x),
      await flashDecodingGpu(gpu, { ...p, splits: 3, form: 'portable' }, x),
      // Where the adapter has one subgroup size: the subgroup split, one workgroup per KV head.
      await flashDecodingGpu(gpu, { ...p, splits: 3 }, x),
    ];
    for (const r of runs) {
      expect(relCheck(r.outputs.out, want.out, TOL).ok).toBe(true);
      expect(relCheck(r.outputs.lse, want.lse, TOL).ok).toBe(true);
      for (const d of r.dispatches) expect(Math.max(...d.workgroups)).toBeLessThanOrEqual(9);
    }
    // Flash: 10 Q tiles · 3 heads · 2 batches = 60 workgroups, 9 × 7; naive softmax: 37 rows, 8 × 5;
    // the decoding split: 3 splits · 37 rows · 3 heads · 2 batches = 666 workgroups, 9 × 9 × 9.
    expect(runs[0].dispatches[0].workgroups).toEqual([9, 7, 1]);
    expect(runs[1].dispatches[1].workgroups).toEqual([8, 5, 1]);
    expect(runs[2].dispatches[0].workgroups).toEqual([9, 9, 9]);
    expect(real.liveBuffers.size).toBe(before);
  });
});
