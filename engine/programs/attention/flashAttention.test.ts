import { describe, expect, it } from 'vitest';
import { EngineError } from '../../gpu/errors';
import { testGpu } from '../../node/testGpu';
import { softmaxAttention } from '../../reference/attention';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import {
  ATTENTION_TRACE,
  type AttentionOutputs,
  chooseFlashTiles,
  flashTileBytes,
  makeAttentionInputs,
} from './common';
import { flashAttentionGpu, skippedKvTiles } from './flashAttention';
import { naiveAttentionGpu } from './naiveAttention';

const TOL = 1e-4;

/** O and lse within TOL of the reference's. */
function expectClose(got: AttentionOutputs, want: AttentionOutputs) {
  expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
  expect(relCheck(got.lse, want.lse, TOL).ok).toBe(true);
}

describe('FlashAttention-2 on the GPU', () => {
  for (const [sq, sk] of [
    [130, 130],
    [77, 203],
  ]) {
    it(`flash equals naive equals the CPU reference for sq=${sq}, sk=${sk}, causal, GQA 4/2, d=16, Br=16, Bc=24`, async () => {
      const gpu = await testGpu();
      const p = { b: 2, sq, sk, h: 4, hk: 2, d: 16, causal: true, Br: 16, Bc: 24 };
      const x = makeAttentionInputs(p, sq + sk);
      const before = gpu.liveBuffers.size;
      const want = softmaxAttention(x.q, x.k, x.v, p, true);
      const flash = await flashAttentionGpu(gpu, p, x);
      const naive = await naiveAttentionGpu(gpu, p, x);
      expect(flash.Br).toBe(16);
      expect(flash.Bc).toBe(24);
      for (const got of [flash.outputs, naive.outputs]) expectClose(got, want);
      expect(relCheck(flash.outputs.out, naive.outputs.out, TOL).ok).toBe(true);
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('full (non-causal) flash equals the CPU reference for sq=77, sk=203 with Br=5, Bc=3', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 77, sk: 203, h: 2, hk: 1, d: 12, causal: false, Br: 5, Bc: 3 };
    const x = makeAttentionInputs(p, 11);
    const want = softmaxAttention(x.q, x.k, x.v, p, false);
    expectClose((await flashAttentionGpu(gpu, p, x)).outputs, want);
  });

  it('fully masked rows (sq=40 > sk=25, causal) give O = 0 and lse = +inf on flash and naive', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 40, sk: 25, h: 3, hk: 1, d: 8, causal: true, Br: 7, Bc: 6 };
    const x = makeAttentionInputs(p, 3);
    const want = softmaxAttention(x.q, x.k, x.v, p, true);
    for (const got of [
      (await flashAttentionGpu(gpu, p, x)).outputs,
      (await naiveAttentionGpu(gpu, p, x)).outputs,
    ]) {
      for (let hh = 0; hh < p.h; hh++) {
        for (let i = 0; i < p.sq; i++) {
          const masked = i < p.sq - p.sk;
          expect(got.lse[hh * p.sq + i] === Number.POSITIVE_INFINITY).toBe(masked);
          const row = Array.from(got.out.slice((i * p.h + hh) * p.d, (i * p.h + hh + 1) * p.d));
          if (masked) expect(row.every((v) => v === 0)).toBe(true);
        }
      }
      expectClose(got, want);
    }
  });

  it('trace: K and V read once per visible tile, Q and O once, and Tr(Tr−1)/2 causal tiles skipped for sq=sk=96', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 96, sk: 96, h: 2, hk: 1, d: 8, causal: true, Br: 16, Bc: 16 };
    const x = makeAttentionInputs(p, 5);
    const { trace } = await flashAttentionGpu(gpu, p, x, { trace: true });
    if (!trace) throw new Error('no trace');
    expect(trace.dropped).toBe(0);
    const by = bytesBy(trace);
    const Tr = 6;
    const row = p.d * 4;
    expect(by['load:q']).toBe(p.h * p.sq * row);
    // Q tile i (1-based) sees i K/V tiles of Bc rows: Σ i = Tr(Tr+1)/2 tiles per head.
    expect(by['load:k']).toBe(p.h * ((Tr * (Tr + 1)) / 2) * p.Bc * row);
    expect(by['load:v']).toBe(by['load:k']);
    expect(by['store:o']).toBe(p.h * p.sq * row);
    expect(by['store:lse']).toBe(p.h * p.sq * 4);
    const phase = (name: string) => ATTENTION_TRACE.phases.indexOf(name);
    expect(trace.phases).toEqual(ATTENTION_TRACE.phases);
    const skipped = trace.events
      .filter((e) => e.kind === 'compute' && e.aux === phase('skip'))
      .reduce((s, e) => s + e.count, 0);
    expect(skipped).toBe(p.h * ((Tr * (Tr - 1)) / 2));
    expect(skippedKvTiles(p, 16, 16)).toBe(skipped);
    const rescales = trace.events.filter((e) => e.kind === 'compute' && e.aux === phase('rescale')).length;
    expect(rescales).toBe(p.h * ((Tr * (Tr + 1)) / 2));
  });

  it('trace: non-causal K and V bytes are Tr·sk·d·4 per head at odd sizes (sq=77, sk=203, Br=16, Bc=24)', async () => {
    const gpu = await testGpu();
    const p = { b: 2, sq: 77, sk: 203, h: 4, hk: 2, d: 16, causal: false, Br: 16, Bc: 24 };
    const { trace } = await flashAttentionGpu(gpu, p, makeAttentionInputs(p, 9), { trace: true });
    if (!trace) throw new Error('no trace');
    const by = bytesBy(trace);
    const Tr = Math.ceil(p.sq / p.Br);
    expect(by['load:k']).toBe(p.b * p.h * Tr * p.sk * p.d * 4);
    expect(by['load:v']).toBe(by['load:k']);
    expect(by['load:q']).toBe(p.b * p.h * p.sq * p.d * 4);
    expect(by['store:o']).toBe(by['load:q']);
  });

  it('naive trace: S and P are each written and read once, sq·sk·4 bytes per head', async () => {
    const gpu = await testGpu();
    const p = { b: 2, sq: 37, sk: 53, h: 3, hk: 1, d: 8, causal: true };
    const { trace } = await naiveAttentionGpu(gpu, p, makeAttentionInputs(p, 2), { trace: true });
    if (!trace) throw new Error('no trace');
    expect(trace.dropped).toBe(0);
    const by = bytesBy(trace);
    const perHead = p.sq * p.sk * 4;
    expect(by['write:S']).toBe(p.b * p.h * perHead);
    expect(by['read:S']).toBe(p.b * p.h * perHead);
    expect(by['write:P']).toBe(p.b * p.h * perHead);
    expect(by['load:P']).toBe(p.b * p.h * perHead);
    expect(by['write:o']).toBe(p.b * p.h * p.sq * p.d * 4);
  });

  it('naive attention in slices of 5 query rows equals one slice per head', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 23, sk: 31, h: 2, hk: 2, d: 8, causal: true };
    const x = makeAttentionInputs(p, 4);
    const whole = await naiveAttentionGpu(gpu, p, x);
    const sliced = await naiveAttentionGpu(gpu, p, x, { maxSliceBytes: 5 * p.sk * 4 });
    expect(whole.slices).toBe(2);
    expect(sliced.slices).toBe(2 * 5);
    expect(Array.from(sliced.outputs.out)).toEqual(Array.from(whole.outputs.out));
    expect(Array.from(sliced.outputs.lse)).toEqual(Array.from(whole.outputs.lse));
  });

  it('refuses bad input with a clear EngineError and allocates nothing', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 8, sk: 8, h: 3, hk: 2, d: 4, causal: false, Br: 4, Bc: 4 };
    const x = makeAttentionInputs({ ...p, hk: 1 }, 1);
    const before = gpu.liveBuffers.size;
    await expect(flashAttentionGpu(gpu, p, x)).rejects.toThrow(/not a multiple of h_k/);
    await expect(flashAttentionGpu(gpu, { ...p, hk: 1, Br: 0 }, x)).rejects.toBeInstanceOf(EngineError);
    await expect(naiveAttentionGpu(gpu, { ...p, hk: 1 }, x, { maxSliceBytes: 16 })).rejects.toThrow(
      /one row of S/,
    );
    expect(gpu.liveBuffers.size).toBe(before);
  });
});

describe('FlashAttention tile choice', () => {
  it('keeps production tiles within 16 KiB of workgroup memory (d=64: 32×32 becomes 16×16; d=128: 8×8)', () => {
    expect(flashTileBytes(64, 32, 32)).toBeGreaterThan(16384);
    const t64 = chooseFlashTiles('t', 64, 32, 32);
    expect([t64.Br, t64.Bc]).toEqual([16, 16]);
    expect(t64.bytes).toBeLessThanOrEqual(16384);
    expect(chooseFlashTiles('t', 64, 64, 64)).toMatchObject({ Br: 16, Bc: 16 });
    expect(chooseFlashTiles('t', 128, 64, 64)).toMatchObject({ Br: 8, Bc: 8 });
    expect(chooseFlashTiles('t', 4, 5, 3)).toMatchObject({ Br: 5, Bc: 3 });
  });
});
