import { describe, expect, it } from 'vitest';
import { EngineError } from '../../gpu/errors';
import { testGpu } from '../../node/testGpu';
import { resolveScale, softmaxAttention } from '../../reference/attention';
import { relCheck } from '../../util/compare';
import { type AttentionOutputs, type AttentionParams, makeAttentionInputs } from './common';
import { flashAttentionGpu } from './flashAttention';
import {
  type FlashAttentionFastParams,
  chooseFastTiles,
  fastTileBytes,
  flashAttentionFastGpu,
  flashAttentionFastVariants,
} from './flashAttentionFast';

const TOL = 1e-4;
const H200 = { budget: 49152, maxInvocations: 1024, subgroupSize: 32 };

function expectClose(got: AttentionOutputs, want: AttentionOutputs) {
  expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
  expect(relCheck(got.lse, want.lse, TOL).ok).toBe(true);
}

/** The fast kernel against the float64 reference and against the teaching kernel (16×16 tiles). */
async function checkAgainstBoth(p: FlashAttentionFastParams, seed: number) {
  const gpu = await testGpu();
  const x = makeAttentionInputs(p, seed);
  const before = gpu.liveBuffers.size;
  const fast = await flashAttentionFastGpu(gpu, p, x);
  const flash = await flashAttentionGpu(gpu, { ...p, Br: 16, Bc: 16 }, x);
  expectClose(fast.outputs, softmaxAttention(x.q, x.k, x.v, p, p.causal, resolveScale(p.d, p.scale)));
  expectClose(fast.outputs, flash.outputs);
  expect(fast.bytes).toBeLessThanOrEqual(gpu.limits.maxComputeWorkgroupStorageSize);
  expect(gpu.liveBuffers.size).toBe(before);
  return fast;
}

// The GPU tests compile large unrolled kernels on SwiftShader (tens of seconds each on a busy machine).
const SLOW = { timeout: 400_000 };

describe('flashAttentionFast on the GPU', () => {
  for (const d of [16, 32, 64, 128]) {
    it(
      `equals the float64 reference and flashAttention for d=${d}, causal, GQA 4/2, batch 2, L=70 (not a tile multiple)`,
      SLOW,
      async () => {
        const p = { b: 2, sq: 70, sk: 70, h: 4, hk: 2, d, causal: true };
        const fast = await checkAgainstBoth(p, d);
        expect(70 % fast.Br).not.toBe(0);
      },
    );
  }

  it(
    'keeps bottom-right causal alignment for sq=77 < sk=203 (MHA, d=32, 32×16 tiles, 2 rows a lane)',
    SLOW,
    async () => {
      await checkAgainstBoth(
        { b: 1, sq: 77, sk: 203, h: 2, hk: 2, d: 32, causal: true, Br: 32, Bc: 16, rm: 2 },
        7,
      );
    },
  );

  it(
    'equals both without a mask for sq=77, sk=203, batch 2, GQA 4/2, d=64, softmax scale 0.3',
    SLOW,
    async () => {
      await checkAgainstBoth(
        { b: 2, sq: 77, sk: 203, h: 4, hk: 2, d: 64, causal: false, scale: 0.3, Br: 32, Bc: 16 },
        9,
      );
    },
  );

  it(
    'gives O = 0 and lse = +inf on the rows a causal mask hides entirely (sq=40 > sk=25)',
    SLOW,
    async () => {
      const gpu = await testGpu();
      const p = { b: 1, sq: 40, sk: 25, h: 3, hk: 1, d: 16, causal: true, Br: 16, Bc: 16 };
      const x = makeAttentionInputs(p, 3);
      const got = (await flashAttentionFastGpu(gpu, p, x)).outputs;
      for (let hh = 0; hh < p.h; hh++) {
        for (let i = 0; i < p.sq; i++) {
          const masked = i < p.sq - p.sk;
          expect(got.lse[hh * p.sq + i] === Number.POSITIVE_INFINITY).toBe(masked);
          const row = Array.from(got.out.slice((i * p.h + hh) * p.d, (i * p.h + hh + 1) * p.d));
          if (masked) expect(row.every((v) => v === 0)).toBe(true);
        }
      }
      expectClose(got, softmaxAttention(x.q, x.k, x.v, p, true));
    },
  );

  it(
    'reduces rows on subgroups and in workgroup memory to the same O for d=64, 4 lanes a row',
    SLOW,
    async () => {
      const gpu = await testGpu();
      const p = { b: 1, sq: 50, sk: 50, h: 2, hk: 1, d: 64, causal: true, Br: 32, Bc: 16, tc: 4 };
      const x = makeAttentionInputs(p, 5);
      const sg = await flashAttentionFastGpu(gpu, p, x);
      const shared = await flashAttentionFastGpu(gpu, { ...p, form: 'shared' }, x);
      expect(shared.subgroups).toBe(0);
      // SwiftShader's subgroups have 4 lanes: exactly one row group of 4 lanes each.
      expect(sg.subgroups).toBe(gpu.features.subgroupSize === 4 ? 1 : sg.subgroups);
      expect(relCheck(sg.outputs.out, shared.outputs.out, 1e-6).ok).toBe(true);
      expectClose(sg.outputs, softmaxAttention(x.q, x.k, x.v, p, true));
    },
  );

  it(
    'reads Q from storage and passes P on shuffles to the same O as the staged forms (d=64, 4 lanes a row, GQA, sq < sk)',
    SLOW,
    async () => {
      const gpu = await testGpu();
      const p = { b: 2, sq: 37, sk: 70, h: 4, hk: 2, d: 64, causal: true, Br: 32, Bc: 16, tc: 4, rm: 2 };
      const x = makeAttentionInputs(p, 21);
      const want = softmaxAttention(x.q, x.k, x.v, p, true);
      const staged = await flashAttentionFastGpu(gpu, p, x);
      expect([staged.qStorage, staged.pShuffle]).toEqual([0, 0]);
      const shuffles = gpu.features.subgroupSize === 4 ? 1 : staged.subgroups;
      for (const forms of [
        { qIn: 'storage' },
        { pIn: 'shuffle' },
        { qIn: 'storage', pIn: 'shuffle' },
        { qIn: 'storage', pIn: 'shuffle', form: 'shared' },
      ] as const) {
        const got = await flashAttentionFastGpu(gpu, { ...p, ...forms }, x);
        expect(got.qStorage).toBe(forms.qIn === 'storage' ? 1 : 0);
        // P goes on shuffles only with the subgroup row reductions; 'shared' reductions fall back.
        const sg = 'form' in forms ? 0 : shuffles;
        expect(got.pShuffle).toBe('pIn' in forms ? sg : 0);
        expect(got.bytes).toBe(
          fastTileBytes(64, 32, 16, { qStorage: got.qStorage === 1, pShuffle: got.pShuffle === 1 }),
        );
        expectClose(got.outputs, want);
        expect(relCheck(got.outputs.out, staged.outputs.out, 1e-5).ok).toBe(true);
      }
    },
  );

  it(
    'runs every H200 variant (shrunk to this device) to the float64 reference at L=45, d=64, causal',
    SLOW,
    async () => {
      const gpu = await testGpu();
      const shape = { b: 1, sq: 45, sk: 45, h: 2, hk: 1, d: 64, causal: true };
      const x = makeAttentionInputs(shape, 12);
      const want = softmaxAttention(x.q, x.k, x.v, shape, true);
      for (const v of flashAttentionFastVariants(shape)) {
        const got = await flashAttentionFastGpu(gpu, v, x);
        expect([got.rm, got.tc]).toEqual([v.rm, v.tc]);
        expectClose(got.outputs, want);
      }
    },
  );

  it(
    'refuses an unsupported head dim, a bad tile, a trace and mismatched inputs with EngineError, allocating nothing',
    SLOW,
    async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      for (const d of [8, 20, 144]) {
        const p = { b: 1, sq: 8, sk: 8, h: 1, hk: 1, d, causal: false };
        await expect(flashAttentionFastGpu(gpu, p, makeAttentionInputs(p, 1))).rejects.toThrow(/head dim/);
      }
      const p = { b: 1, sq: 8, sk: 8, h: 2, hk: 1, d: 32, causal: false };
      const x = makeAttentionInputs(p, 1);
      for (const bad of [{ tc: 3 }, { Bc: 12 }, { Br: 6, rm: 4 }, { rm: 0 }]) {
        await expect(flashAttentionFastGpu(gpu, { ...p, ...bad }, x)).rejects.toBeInstanceOf(EngineError);
      }
      await expect(flashAttentionFastGpu(gpu, p, x, { trace: true })).rejects.toThrow(/not traced/);
      await expect(flashAttentionFastGpu(gpu, { ...p, hk: 2 }, x)).rejects.toBeInstanceOf(EngineError);
      expect(gpu.liveBuffers.size).toBe(before);
    },
  );
});

describe('flashAttentionFast tile choice', () => {
  it('keeps the requested tiles on an H200 (48 KiB, subgroups of 32): d=64 runs 64×32 with 128 invocations on subgroups', () => {
    const t = chooseFastTiles(64, {}, H200);
    expect(t).toMatchObject({ Br: 64, Bc: 32, rm: 4, tc: 8, wg: 128, subgroups: true });
    expect(t.bytes).toBe(fastTileBytes(64, 64, 32));
    expect(t.bytes).toBeLessThanOrEqual(H200.budget);
    expect(fastTileBytes(64, 64, 32)).toBeGreaterThan(32768);
  });

  it('shrinks Bc, then Br, to the device limit (32 KiB, 16 KiB) and never past it, for every supported d', () => {
    expect(chooseFastTiles(64, {}, { ...H200, budget: 32768 })).toMatchObject({ Br: 64, Bc: 16 });
    for (const budget of [16384, 32768, 49152, 65536]) {
      for (const d of [16, 32, 48, 64, 96, 128]) {
        const t = chooseFastTiles(d, {}, { ...H200, budget });
        expect(t.bytes).toBeLessThanOrEqual(budget);
        expect(t.Bc % Math.max(4, t.tc)).toBe(0);
        expect(t.Br % t.rm).toBe(0);
        expect(d % (4 * t.tc)).toBe(0);
      }
    }
  });

  it('uses subgroups only where a subgroup holds whole rows and the workgroup holds whole subgroups', () => {
    const at = (req: FlashAttentionFastParams | object, subgroupSize?: number) =>
      chooseFastTiles(64, req, { ...H200, subgroupSize }).subgroups;
    expect(at({}, 32)).toBe(true);
    expect(at({ tc: 8 }, 4)).toBe(false); // SwiftShader: 4 lanes cannot hold a row of 8
    expect(at({ tc: 4, Br: 32, rm: 4 }, 4)).toBe(true);
    expect(at({ Br: 8, rm: 4 }, 32)).toBe(false); // 16 invocations: no whole subgroup of 32
    expect(at({}, undefined)).toBe(false);
    expect(at({ form: 'shared' }, 32)).toBe(false);
  });

  it('gives the H200 run five distinct variants at d=64 and d=48 that fit 48 KiB unshrunk, the unstaged ones in ≤ 24 KiB at 64×32 and 128×32', () => {
    const shape: AttentionParams = { b: 1, sq: 4096, sk: 4096, h: 32, hk: 8, d: 64, causal: true };
    const vs = flashAttentionFastVariants(shape);
    expect(vs.length).toBe(5);
    expect(flashAttentionFastVariants({ ...shape, d: 48 }).length).toBe(5);
    expect(new Set(vs.map((v) => JSON.stringify(v))).size).toBe(vs.length);
    for (const v of vs) {
      const t = chooseFastTiles(64, v, H200);
      expect([t.Br, t.Bc, t.rm, t.tc]).toEqual([v.Br, v.Bc, v.rm, v.tc]);
      expect(t.subgroups).toBe(true);
      expect([t.qStorage, t.pShuffle]).toEqual([v.qIn === 'storage', v.pIn === 'shuffle']);
      if (t.pShuffle && t.Bc === 32) expect(t.bytes).toBeLessThanOrEqual(24 * 1024);
      expect({ ...v, Br: 0, Bc: 0, rm: 0, tc: 0, qIn: 0, pIn: 0 }).toEqual({
        ...shape,
        Br: 0,
        Bc: 0,
        rm: 0,
        tc: 0,
        qIn: 0,
        pIn: 0,
      });
    }
  });

  it('counts only the workgroup memory a form keeps, and falls back to staged P where subgroups cannot hold a row', () => {
    expect(fastTileBytes(64, 64, 32)).toBe(4 * (64 * 68 + 32 * 68 + 32 * 64 + 64 * 36));
    expect(fastTileBytes(64, 64, 32, { qStorage: true })).toBe(4 * (32 * 68 + 32 * 64 + 64 * 36));
    expect(fastTileBytes(64, 64, 32, { qStorage: true, pShuffle: true })).toBe(4 * (32 * 68 + 32 * 64 + 4));
    const unstaged = { Br: 128, Bc: 32, rm: 2, tc: 8, qIn: 'storage', pIn: 'shuffle' } as const;
    expect(chooseFastTiles(64, unstaged, H200)).toMatchObject({ pShuffle: true, bytes: 16912 });
    // Subgroups of 4 hold no row of 8 lanes: P goes back to Ps (and its bytes count), Q stays in storage.
    const sw = chooseFastTiles(64, unstaged, { ...H200, subgroupSize: 4 });
    expect(sw).toMatchObject({ subgroups: false, pShuffle: false, qStorage: true });
    expect(sw.bytes).toBe(fastTileBytes(64, sw.Br, sw.Bc, { qStorage: true }));
    expect(chooseFastTiles(64, { ...unstaged, form: 'shared' }, H200).pShuffle).toBe(false);
    expect(() => chooseFastTiles(64, { qIn: 'global' as 'storage' }, H200)).toThrow(/qIn/);
    expect(() => chooseFastTiles(64, { pIn: 'regs' as 'shuffle' }, H200)).toThrow(/pIn/);
    // 512 invocations on a device that runs 256: half the rows.
    expect(chooseFastTiles(64, { Br: 128, rm: 2, tc: 8 }, { ...H200, maxInvocations: 256 })).toMatchObject({
      Br: 64,
      wg: 256,
    });
  });
});
