import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { softmaxAttention } from '../../reference/attention';
import { relCheck } from '../../util/compare';
import { makeAttentionInputs } from './common';
import { type FlashDecodingParams, flashDecodingGpu, flashDecodingProgram } from './flashDecoding';
import {
  flashDecodingFastGpu,
  flashDecodingFastProgram,
  flashDecodingFastVariants,
} from './flashDecodingFast';
import { type FlashDecodingFastParams, planDecodingFast } from './flashDecodingFastPlan';

const TOL = flashDecodingFastProgram.tolerance;
const OUTPUTS = ['out', 'lse', 'ml', 'oPart'] as const;

/** Every output (O, lse, the partials m, l and O) of the fast run within TOL of `want`'s. */
function expectSame(got: Record<(typeof OUTPUTS)[number], ArrayLike<number>>, want: typeof got) {
  for (const k of OUTPUTS) {
    const r = relCheck(got[k], want[k], TOL);
    expect(r.ok, `${k}: ${r.err} > ${r.bound}`).toBe(true);
  }
}

/** The fast program against the teaching one on the GPU, both on the same seeded inputs. */
async function againstTeaching(p: FlashDecodingFastParams, seed: number) {
  const gpu = await testGpu();
  const x = makeAttentionInputs(p, seed);
  const fast = await flashDecodingFastGpu(gpu, p, x);
  const teaching = await flashDecodingGpu(gpu, { ...p, form: 'portable' }, x);
  expectSame(fast.outputs, teaching.outputs);
  return { fast, x };
}

describe('flashDecodingFast on the GPU', () => {
  const p: FlashDecodingParams = { b: 2, sq: 1, sk: 1000, h: 8, hk: 2, d: 64, causal: false, splits: 7 };

  it('equals the float64 reference (O, lse and every split partial) for sq=1, sk=1000, GQA 8/2, d=64, batch 2', async () => {
    const gpu = await testGpu();
    const x = makeAttentionInputs(p, 11);
    const before = gpu.liveBuffers.size;
    const got = await flashDecodingFastGpu(gpu, { ...p, wg: 64 }, x);
    expect(gpu.liveBuffers.size).toBe(before);
    expectSame(got.outputs, flashDecodingProgram.reference(p, x));
    const full = softmaxAttention(x.q, x.k, x.v, p, false);
    expect(relCheck(got.outputs.out, full.out, TOL).ok).toBe(true);
    expect(relCheck(got.outputs.lse, full.lse, TOL).ok).toBe(true);
    // One split workgroup per KV head (not per query head), then one combine workgroup per query row.
    expect(got.dispatches.map((d) => d.label)).toEqual([
      expect.stringMatching(/^flashDecodingFast\.split(Sg|Shared)$/),
      'flashDecodingFast.combine',
    ]);
    expect(got.dispatches[0].workgroups[0]).toBe(p.b * p.hk * p.splits);
    expect(got.dispatches[1].workgroups[0]).toBe(p.b * p.h);
  });

  it('equals flashDecoding for MHA (h = h_k = 3), an odd L = 777 and a split longer than a tile (2 tiles of 64 keys a split)', async () => {
    await againstTeaching({ b: 1, sq: 1, sk: 777, h: 3, hk: 3, d: 64, causal: false, splits: 7, wg: 64 }, 3);
  });

  it('equals flashDecoding when L is less than splits × tile (L = 45, 4 splits of 12 keys in 64-key tiles)', async () => {
    await againstTeaching({ b: 2, sq: 1, sk: 45, h: 4, hk: 2, d: 64, causal: false, splits: 4, wg: 64 }, 5);
  });

  it('equals flashDecoding with two whole keys an invocation (lpk = 1, kpt = 2) and with one split per key (splits = sk)', async () => {
    await againstTeaching(
      { b: 1, sq: 1, sk: 300, h: 4, hk: 1, d: 64, causal: false, splits: 2, wg: 32, lpk: 1, kpt: 2 },
      6,
    );
    await againstTeaching({ b: 1, sq: 1, sk: 19, h: 2, hk: 1, d: 64, causal: false, splits: 19, wg: 16 }, 7);
  });

  it('equals flashDecoding for head dims 32 and 128, and 8 query heads a KV head', async () => {
    await againstTeaching({ b: 1, sq: 1, sk: 333, h: 4, hk: 2, d: 32, causal: false, splits: 5, wg: 64 }, 8);
    await againstTeaching({ b: 1, sq: 1, sk: 200, h: 2, hk: 1, d: 128, causal: false, splits: 3, wg: 64 }, 9);
    await againstTeaching({ b: 1, sq: 1, sk: 150, h: 8, hk: 1, d: 16, causal: false, splits: 3, wg: 32 }, 10);
  });

  it('equals flashDecoding and full causal attention for sq = 3 causal rows, and masks whole splits (sq = 5, sk = 3)', async () => {
    const q = { b: 1, sq: 3, sk: 500, h: 4, hk: 2, d: 64, causal: true, splits: 5, wg: 64 };
    const { fast, x } = await againstTeaching(q, 12);
    expect(relCheck(fast.outputs.out, softmaxAttention(x.q, x.k, x.v, q, true).out, TOL).ok).toBe(true);
    const empty = await againstTeaching(
      { b: 1, sq: 5, sk: 3, h: 2, hk: 1, d: 16, causal: true, splits: 2 },
      13,
    );
    expect(empty.fast.outputs.lse[0]).toBe(Number.POSITIVE_INFINITY);
  });

  it('the subgroup reductions equal the workgroup-memory ones, where the adapter has one subgroup size', async () => {
    const gpu = await testGpu();
    if (!gpu.features.subgroupSize) return;
    const q = { ...p, sk: 513, wg: 64 };
    const x = makeAttentionInputs(q, 14);
    const sg = await flashDecodingFastGpu(gpu, q, x);
    const shared = await flashDecodingFastGpu(gpu, { ...q, form: 'portable' }, x);
    expect(sg.dispatches[0].label).toBe('flashDecodingFast.splitSg');
    expect(shared.dispatches[0].label).toBe('flashDecodingFast.splitShared');
    expectSame(sg.outputs, shared.outputs);
  });

  it('one, two and four lanes a key (their dot products added by shuffles), and V loaded after the softmax, give the same partials', async () => {
    const gpu = await testGpu();
    const sg = gpu.features.subgroupSize ?? 1;
    const q = { b: 1, sq: 1, sk: 301, h: 4, hk: 2, d: 32, causal: false, splits: 3, wg: 32 };
    const x = makeAttentionInputs(q, 16);
    const one = await flashDecodingFastGpu(gpu, { ...q, lpk: 1, kpt: 1 }, x);
    expect(one.lpk).toBe(1);
    const late = await flashDecodingFastGpu(gpu, { ...q, lpk: 1, kpt: 1, earlyV: false }, x);
    expect(late.earlyV).toBe(0);
    expectSame(late.outputs, one.outputs);
    for (const lpk of [2, 4].filter((n) => n <= sg)) {
      const got = await flashDecodingFastGpu(gpu, { ...q, lpk, kpt: lpk }, x);
      expect(got.lpk).toBe(lpk);
      expectSame(got.outputs, one.outputs);
    }
  });

  it("the next tile's K loaded during this tile's softmax (kAhead) equals loading it at the tile's top: many tiles a split, odd L, causal rows, masked splits, folded or not", async () => {
    const gpu = await testGpu();
    const shapes: FlashDecodingFastParams[] = [
      // 301 keys in 3 splits of 101: tiles of 32 keys, the last one ragged.
      { b: 1, sq: 1, sk: 301, h: 4, hk: 2, d: 32, causal: false, splits: 3, wg: 32, lpk: 1, kpt: 1 },
      { b: 1, sq: 3, sk: 500, h: 4, hk: 2, d: 64, causal: true, splits: 5, wg: 64, kpt: 2 },
      { b: 2, sq: 2, sk: 77, h: 2, hk: 1, d: 16, causal: true, splits: 7, wg: 16, earlyV: false },
      { b: 1, sq: 5, sk: 3, h: 2, hk: 1, d: 16, causal: true, splits: 2 },
      { b: 1, sq: 1, sk: 300, h: 8, hk: 1, d: 32, causal: false, splits: 2, wg: 32, form: 'portable' },
    ];
    for (const [n, q] of shapes.entries()) {
      const x = makeAttentionInputs(q, 60 + n);
      for (const fuse of [false, true]) {
        const plain = await flashDecodingFastGpu(gpu, { ...q, fuse }, x);
        const ahead = await flashDecodingFastGpu(gpu, { ...q, fuse, kAhead: true }, x);
        expect([plain.kAhead, ahead.kAhead]).toEqual([0, 1]);
        expectSame(ahead.outputs, plain.outputs);
        for (const k of ['out', 'lse'] as const)
          expect(
            relCheck(ahead.outputs[k], flashDecodingProgram.reference(q, x)[k], TOL).ok,
            `${n} ${k}`,
          ).toBe(true);
      }
    }
  });

  it('the combine folded into the split pass (fuse) equals the two passes: GQA, batch 2, causal rows, masked splits, a split per key', async () => {
    const gpu = await testGpu();
    const shapes: FlashDecodingFastParams[] = [
      { ...p, wg: 64 },
      { b: 1, sq: 3, sk: 500, h: 4, hk: 2, d: 64, causal: true, splits: 5, wg: 64 },
      { b: 1, sq: 5, sk: 3, h: 2, hk: 1, d: 16, causal: true, splits: 2 },
      { b: 1, sq: 1, sk: 19, h: 2, hk: 1, d: 64, causal: false, splits: 19, wg: 16 },
      { b: 1, sq: 1, sk: 300, h: 8, hk: 1, d: 32, causal: false, splits: 3, wg: 32, form: 'portable' },
    ];
    for (const [n, q] of shapes.entries()) {
      const x = makeAttentionInputs(q, 20 + n);
      const apart = await flashDecodingFastGpu(gpu, q, x);
      const fused = await flashDecodingFastGpu(gpu, { ...q, fuse: true }, x);
      expect(fused.fuse).toBe(1);
      expect(fused.dispatches.map((d) => d.label)).toEqual([
        expect.stringMatching(/^flashDecodingFast\.split(Sg|Shared)Fused$/),
      ]);
      expectSame(fused.outputs, apart.outputs);
      const want = flashDecodingProgram.reference(q, x);
      for (const k of ['out', 'lse'] as const)
        expect(relCheck(fused.outputs[k], want[k], TOL).ok, k).toBe(true);
    }
  });

  it('the warps kernel (a softmax per subgroup, merged at the end) equals the tiles kernel and the reference: GQA, batch 2, odd L, causal rows, masked and empty splits, folded or not', async () => {
    const gpu = await testGpu();
    if (!gpu.features.subgroupSize) return;
    const shapes: FlashDecodingFastParams[] = [
      { ...p, wg: 64 },
      { ...p, wg: 64, kpt: 1 },
      { b: 1, sq: 1, sk: 777, h: 3, hk: 3, d: 64, causal: false, splits: 3, wg: 32, lpk: 2 },
      { b: 1, sq: 3, sk: 500, h: 4, hk: 2, d: 64, causal: true, splits: 5, wg: 64, earlyV: false, kpt: 2 },
      { b: 1, sq: 5, sk: 3, h: 2, hk: 1, d: 16, causal: true, splits: 2 },
      { b: 2, sq: 1, sk: 45, h: 4, hk: 2, d: 32, causal: false, splits: 6, wg: 16, lpk: 1 },
      { b: 1, sq: 1, sk: 10, h: 2, hk: 1, d: 16, causal: false, splits: 6 },
      { b: 1, sq: 1, sk: 200, h: 2, hk: 1, d: 128, causal: false, splits: 3, wg: 64 },
      { b: 1, sq: 1, sk: 150, h: 8, hk: 1, d: 16, causal: false, splits: 3, wg: 32, lpk: 4 },
    ];
    for (const [n, q] of shapes.entries()) {
      const x = makeAttentionInputs(q, 40 + n);
      const tiles = await flashDecodingFastGpu(gpu, q, x);
      const want = flashDecodingProgram.reference(q, x);
      for (const fuse of [false, true]) {
        const got = await flashDecodingFastGpu(gpu, { ...q, kernel: 'warps', fuse }, x);
        expect(got.warps).toBe(1);
        expect(got.dispatches[0].label).toBe(`flashDecodingFast.splitWarps${fuse ? 'Fused' : ''}`);
        // The partials of a wholly masked split follow the GPU kernels' convention (m = −3e38), so they
        // are held to the tiles kernel; O and lse to the float64 reference as well.
        expectSame(got.outputs, tiles.outputs);
        for (const k of ['out', 'lse'] as const)
          expect(relCheck(got.outputs[k], want[k], TOL).ok, `shape ${n} ${k}`).toBe(true);
      }
    }
  });

  it('each bench variant runs and equals the reference at a small L', async () => {
    const gpu = await testGpu();
    const shape = { b: 1, sq: 1, sk: 300, h: 8, hk: 2, d: 64, causal: false };
    const x = makeAttentionInputs(shape, 15);
    const variants = flashDecodingFastVariants(shape);
    expect(new Set(variants.map((v) => JSON.stringify(v))).size).toBe(variants.length);
    for (const v of variants) {
      const got = await flashDecodingFastGpu(gpu, v, x);
      expectSame(got.outputs, flashDecodingProgram.reference(v, x));
    }
  });

  it('refuses a split count outside [1, sk] and a traced run', async () => {
    const gpu = await testGpu();
    const x = makeAttentionInputs(p, 1);
    await expect(flashDecodingFastGpu(gpu, { ...p, splits: 0 }, x)).rejects.toThrow(/splits/);
    await expect(flashDecodingFastGpu(gpu, { ...p, splits: 1001 }, x)).rejects.toThrow(/splits/);
    await expect(flashDecodingFastGpu(gpu, p, x, { trace: true })).rejects.toThrow(/not traced/);
  });
});

describe('flashDecodingFast plan', () => {
  const lim = { budget: 48 * 1024, maxInvocations: 1024, subgroupSize: 32 };
  const p: FlashDecodingParams = { b: 1, sq: 1, sk: 16384, h: 32, hk: 8, d: 64, causal: false, splits: 64 };

  it('keeps the request where it fits: 256 invocations, 4 lanes a key, 256 keys a tile, subgroups of 32', () => {
    expect(planDecodingFast(p, lim)).toMatchObject({ wg: 256, kpt: 4, lpk: 4, tk: 256, g: 4, sg: 32 });
  });

  it('lowers the lanes per key to d/4 and to the subgroup size, keeping the tile', () => {
    expect(planDecodingFast({ ...p, d: 16, lpk: 8, kpt: 8 }, lim)).toMatchObject({ lpk: 4, kpt: 4, tk: 256 });
    expect(planDecodingFast({ ...p, lpk: 8, kpt: 8 }, { ...lim, subgroupSize: 4 })).toMatchObject({
      lpk: 4,
      tk: 256,
    });
  });

  it('shrinks keys per invocation, then invocations, to the workgroup memory the device has', () => {
    const big = planDecodingFast({ ...p, kpt: 4 }, lim);
    const small = planDecodingFast({ ...p, kpt: 4 }, { ...lim, budget: 8 * 1024 });
    expect(big.bytes).toBeLessThanOrEqual(lim.budget);
    expect(small.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(small.tk).toBeLessThan(big.tk);
  });

  it('uses workgroup memory without a fixed subgroup size, or when asked (form portable)', () => {
    expect(planDecodingFast(p, { ...lim, subgroupSize: undefined })).toMatchObject({ lpk: 1, tk: 256 });
    expect(planDecodingFast({ ...p, form: 'portable' }, lim).sg).toBeUndefined();
  });

  it('the warps kernel keeps 4 lanes a key where a subgroup holds them, at most lpk keys a lane group, halves wg to fit, and needs one subgroup size', () => {
    const w = { ...p, kernel: 'warps' as const, wg: 128 };
    expect(planDecodingFast(w, lim)).toMatchObject({ warps: true, wg: 128, lpk: 4, kpt: 4, tk: 128, sg: 32 });
    expect(planDecodingFast({ ...w, kpt: 1 }, lim)).toMatchObject({ kpt: 1, tk: 32 });
    expect(planDecodingFast({ ...w, kpt: 8 }, lim)).toMatchObject({ kpt: 4 });
    expect(planDecodingFast({ ...w, d: 16, lpk: 8 }, lim)).toMatchObject({ lpk: 4 });
    expect(planDecodingFast(w, { ...lim, subgroupSize: 4 })).toMatchObject({ lpk: 4, sg: 4 });
    const small = planDecodingFast({ ...w, wg: 1024 }, { ...lim, budget: 16 * 1024 });
    expect(small.wg).toBeLessThan(1024);
    expect(small.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(() => planDecodingFast(w, { ...lim, subgroupSize: undefined })).toThrow(/subgroup size/);
    expect(() => planDecodingFast({ ...w, form: 'portable' }, lim)).toThrow(/subgroup size/);
    expect(() => planDecodingFast({ ...w, wg: 16 }, lim)).toThrow(/subgroup size/);
  });

  it('refuses head dims other than 4·2^k, more than 8 query heads a KV head, and a bad wg or kpt', () => {
    expect(() => planDecodingFast({ ...p, d: 48 }, lim)).toThrow(/head dim/);
    expect(() => planDecodingFast({ ...p, hk: 2 }, lim)).toThrow(/at most 8/);
    expect(() => planDecodingFast({ ...p, wg: 96 }, lim)).toThrow(/power of two/);
    expect(() => planDecodingFast({ ...p, kpt: 9 }, lim)).toThrow(/kpt/);
    expect(() => planDecodingFast({ ...p, lpk: 3 }, lim)).toThrow(/lpk/);
  });
});
