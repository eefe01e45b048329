import { describe, expect, it } from 'vitest';
import { testGpu } from '../../node/testGpu';
import { softmaxAttention } from '../../reference/attention';
import { splitAttention } from '../../reference/attentionSplit';
import { bytesBy } from '../../trace/events';
import { relCheck } from '../../util/compare';
import { type AttentionOutputs, type AttentionParams, makeAttentionInputs } from './common';
import { flashDecodingGpu } from './flashDecoding';
import { naiveAttentionGpu } from './naiveAttention';

const TOL = 1e-4;

/** O and lse within TOL of the reference's. */
function expectClose(got: AttentionOutputs, want: AttentionOutputs) {
  expect(relCheck(got.out, want.out, TOL).ok).toBe(true);
  expect(relCheck(got.lse, want.lse, TOL).ok).toBe(true);
}

/** FlashDecoding of a seeded causal case in `splits` splits, and full causal attention on the CPU. */
async function causalCase(q: AttentionParams, seed: number, splits: number) {
  const xs = makeAttentionInputs(q, seed);
  const got = await flashDecodingGpu(await testGpu(), { ...q, splits }, xs);
  return { got: got.outputs, want: softmaxAttention(xs.q, xs.k, xs.v, q, true) };
}

describe('FlashDecoding on the GPU', () => {
  const p = { b: 2, sq: 1, sk: 1000, h: 4, hk: 2, d: 64, causal: false };
  const x = makeAttentionInputs(p, 1000);
  const want = softmaxAttention(x.q, x.k, x.v, p, false);

  for (const splits of [1, 3, 7, 16]) {
    it(`equals full attention for sq=1, sk=1000, GQA 4/2, d=64 with ${splits} splits`, async () => {
      const gpu = await testGpu();
      const before = gpu.liveBuffers.size;
      expectClose((await flashDecodingGpu(gpu, { ...p, splits }, x)).outputs, want);
      expect(gpu.liveBuffers.size).toBe(before);
    });
  }

  it('its partials (m, l, unnormalised O per split) equal the CPU split reference, and it equals naive attention', async () => {
    const gpu = await testGpu();
    const splits = 7;
    const got = await flashDecodingGpu(gpu, { ...p, splits }, x);
    const ref = splitAttention(x.q, x.k, x.v, p, false, splits);
    const m = got.outputs.ml.filter((_, i) => i % 2 === 0);
    const l = got.outputs.ml.filter((_, i) => i % 2 === 1);
    expect(relCheck(m, ref.m, TOL).ok).toBe(true);
    expect(relCheck(l, ref.l, TOL).ok).toBe(true);
    expect(relCheck(got.outputs.oPart, ref.oPart, TOL).ok).toBe(true);
    const naive = await naiveAttentionGpu(gpu, p, x);
    expect(relCheck(got.outputs.out, naive.outputs.out, TOL).ok).toBe(true);
  });

  it('the subgroup split kernel (one workgroup per KV head) equals the portable one, partials and all, where the adapter has one subgroup size', async () => {
    const gpu = await testGpu();
    if (!gpu.features.subgroupSize) return;
    for (const q of [
      { ...p, splits: 7 },
      { b: 1, sq: 3, sk: 37, h: 6, hk: 2, d: 6, causal: true, splits: 4 },
    ]) {
      const xs = q === p ? x : makeAttentionInputs(q, 4);
      const sg = await flashDecodingGpu(gpu, q, xs);
      const portable = await flashDecodingGpu(gpu, { ...q, form: 'portable' }, xs);
      expect(sg.dispatches.map((d) => d.label)).toEqual([
        'flashDecoding.splitSubgroup',
        'flashDecoding.combine',
      ]);
      expect(portable.dispatches[0].label).toBe('flashDecoding.split');
      expect(sg.dispatches[0].workgroups[0]).toBe(portable.dispatches[0].workgroups[0] / (q.h / q.hk));
      for (const k of ['out', 'lse', 'ml', 'oPart'] as const)
        expect(relCheck(sg.outputs[k], portable.outputs[k], TOL).ok).toBe(true);
    }
  });

  it('handles several causal query rows, with fully masked rows and empty splits (sq=5, sk=3, 2 splits)', async () => {
    const { got, want } = await causalCase({ b: 1, sq: 5, sk: 3, h: 2, hk: 1, d: 6, causal: true }, 8, 2);
    expect(got.lse[0]).toBe(Number.POSITIVE_INFINITY);
    expectClose(got, want);
  });

  it('equals full causal attention for sq=3 queries at the end of a 1000-key cache with 5 splits', async () => {
    const q = { b: 1, sq: 3, sk: 1000, h: 2, hk: 2, d: 16, causal: true };
    const { got, want } = await causalCase(q, 6, 5);
    expectClose(got, want);
  });

  it('trace: every key and value row is read once per query row, and each partial written and read once', async () => {
    const gpu = await testGpu();
    const splits = 3;
    const { trace } = await flashDecodingGpu(gpu, { ...p, splits }, x, { trace: true });
    if (!trace) throw new Error('no trace');
    expect(trace.dropped).toBe(0);
    const by = bytesBy(trace);
    const rows = p.b * p.h * p.sq;
    expect(by['read:k']).toBe(rows * p.sk * p.d * 4);
    expect(by['read:v']).toBe(rows * p.sk * p.d * 4);
    expect(by['write:partials']).toBe(rows * splits * (p.d + 2) * 4);
    expect(by['read:partials']).toBe(by['write:partials']);
    expect(by['write:o']).toBe(rows * p.d * 4);
  });

  it('refuses a split count outside [1, sk]', async () => {
    const gpu = await testGpu();
    await expect(flashDecodingGpu(gpu, { ...p, splits: 0 }, x)).rejects.toThrow(/splits/);
    await expect(flashDecodingGpu(gpu, { ...p, splits: 1001 }, x)).rejects.toThrow(/splits/);
  });
});
