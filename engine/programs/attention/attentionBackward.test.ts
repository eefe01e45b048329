// The attention backward pass: FlashAttention-2's tiled GPU backward = the plain GPU backward = the
// float64 CPU reference = central finite differences of the forward, at odd sizes with GQA and causal
// sq ≠ sk (fully masked rows give exactly zero gradients, never NaN), and what the runs record.

import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../gpu/device';
import { EngineError } from '../../gpu/errors';
import { testGpu } from '../../node/testGpu';
import { type AttnShape, softmaxAttention } from '../../reference/attention';
import { attentionBackward } from '../../reference/attentionBackward';
import { relCheck } from '../../util/compare';
import { Rng } from '../../util/rng';
import { attentionBackwardGpu } from './attentionBackward';
import { type AttentionBackwardOutputs, makeBackwardInputs } from './backwardCommon';
import { WG_MEMORY_BUDGET } from './common';
import type { FlashAttentionParams } from './flashAttention';
import { backwardTileBytes, backwardTilesFor, flashAttentionBackwardGpu } from './flashAttentionBackward';

const TOL = 2e-4;
const NAMES = ['dq', 'dk', 'dv', 'out', 'lse', 'delta'] as const;

function expectClose(got: AttentionBackwardOutputs, want: AttentionBackwardOutputs, tol = TOL) {
  for (const n of NAMES) {
    const r = relCheck(got[n], want[n], tol);
    expect(r.ok, `${n}: err ${r.err} > ${r.bound}`).toBe(true);
  }
}

/** Rows of (b, sq, h, d) whose query i has no visible key: i < sq − sk under the causal mask. */
function maskedRowsAreZero(p: AttnShape, g: AttentionBackwardOutputs) {
  const all = [...g.dq, ...g.dk, ...g.dv];
  expect(all.some(Number.isNaN)).toBe(false);
  for (let b = 0; b < p.b; b++)
    for (let i = 0; i < p.sq - p.sk; i++)
      for (let hh = 0; hh < p.h; hh++) {
        const o = ((b * p.sq + i) * p.h + hh) * p.d;
        expect(Array.from(g.dq.slice(o, o + p.d)).every((x) => x === 0)).toBe(true);
        expect(g.lse[(b * p.h + hh) * p.sq + i]).toBe(Number.POSITIVE_INFINITY);
        expect(g.delta[(b * p.h + hh) * p.sq + i]).toBe(0);
      }
}

/** The tiled GPU backward of a seeded case against the CPU reference; returns the case for more checks. */
async function tiledEqualsReference(p: FlashAttentionParams, seed: number) {
  const gpu = await testGpu();
  const x = makeBackwardInputs(p, seed);
  const want = attentionBackward(x.q, x.k, x.v, x.dout, p, p.causal);
  expectClose((await flashAttentionBackwardGpu(gpu, p, x)).outputs, want);
  return { gpu, x, want };
}

describe('attention backward on the GPU', () => {
  it('tiled = plain = CPU reference, causal sq=23 > sk=13 (10 fully masked rows), GQA 4/2, d=6, Br=5, Bc=3', async () => {
    const gpu = await testGpu();
    const p = { b: 2, sq: 23, sk: 13, h: 4, hk: 2, d: 6, causal: true, Br: 5, Bc: 3 };
    const x = makeBackwardInputs(p, 71);
    const before = gpu.liveBuffers.size;
    const want = attentionBackward(x.q, x.k, x.v, x.dout, p, true);
    const tiled = await flashAttentionBackwardGpu(gpu, p, x);
    const plain = await attentionBackwardGpu(gpu, p, x);
    expect([tiled.Br, tiled.Bc]).toEqual([5, 3]);
    expectClose(tiled.outputs, want);
    expectClose(plain.outputs, want);
    expectClose(tiled.outputs, plain.outputs);
    maskedRowsAreZero(p, tiled.outputs);
    maskedRowsAreZero(p, plain.outputs);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('tiled = plain = CPU reference without a mask, sq=9, sk=17, MQA 3/1, d=5, Br=4, Bc=6, in several P slices', async () => {
    const p = { b: 1, sq: 9, sk: 17, h: 3, hk: 1, d: 5, causal: false, Br: 4, Bc: 6 };
    const { gpu, x, want } = await tiledEqualsReference(p, 72);
    // 4 query rows per slice: three slices a head, so dK, dV add up across slices and heads.
    const sliced = await attentionBackwardGpu(gpu, p, x, { maxSliceBytes: 4 * p.sk * 4 });
    expectClose(sliced.outputs, want);
  });

  it('causal sq=7 < sk=12 (bottom-right) with GQA 6/3, d=7, Br=3, Bc=5: tiled = CPU reference', async () => {
    await tiledEqualsReference({ b: 1, sq: 7, sk: 12, h: 6, hk: 3, d: 7, causal: true, Br: 3, Bc: 5 }, 73);
  });

  it('the gradients are central finite differences of sum(dout ∘ out) (float64 CPU forward), sq=5 > sk=3, GQA 2/1, d=3', async () => {
    const gpu = await testGpu();
    const p = { b: 1, sq: 5, sk: 3, h: 2, hk: 1, d: 3, causal: true, Br: 2, Bc: 2 };
    const x = makeBackwardInputs(p, 74);
    const x64 = { q: Float64Array.from(x.q), k: Float64Array.from(x.k), v: Float64Array.from(x.v) };
    const loss = () => {
      const { out } = softmaxAttention(x64.q, x64.k, x64.v, p, true);
      return out.reduce((s, o, n) => s + o * x.dout[n], 0);
    };
    const ref = attentionBackward(x64.q, x64.k, x64.v, x.dout, p, true);
    const tiled = (await flashAttentionBackwardGpu(gpu, p, x)).outputs;
    const plain = (await attentionBackwardGpu(gpu, p, x)).outputs;
    const rng = new Rng(5);
    const eps = 1e-5;
    for (const [name, grad] of [
      ['q', 'dq'],
      ['k', 'dk'],
      ['v', 'dv'],
    ] as const) {
      const t = x64[name];
      for (let n = 0; n < 4; n++) {
        const e = Math.floor(rng.uniform(0, t.length));
        const keep = t[e];
        t[e] = keep + eps;
        const up = loss();
        t[e] = keep - eps;
        const down = loss();
        t[e] = keep;
        const fd = (up - down) / (2 * eps);
        expect(Math.abs(ref[grad][e] - fd), `${grad}[${e}] reference vs FD`).toBeLessThan(1e-7);
        expect(Math.abs(tiled[grad][e] - fd), `${grad}[${e}] tiled vs FD`).toBeLessThan(1e-4);
        expect(Math.abs(plain[grad][e] - fd), `${grad}[${e}] plain vs FD`).toBeLessThan(1e-4);
      }
    }
    // The masked queries 0 and 1 do not move the loss: their dQ is exactly 0 (not merely small).
    maskedRowsAreZero(p, tiled);
  });

  it("the tiles shrink to the device's workgroup memory (16 KiB: d=64 32×32 -> 8×16; 48 KiB: 32×32 as asked) and dout must match q", async () => {
    const real = await testGpu();
    const withMemory = (bytes: number): Gpu => ({
      ...real,
      limits: { ...real.limits, maxComputeWorkgroupStorageSize: bytes },
    });
    const gpu = withMemory(WG_MEMORY_BUDGET);
    const p = { b: 1, sq: 11, sk: 10, h: 1, hk: 1, d: 64, causal: true, Br: 32, Bc: 32 };
    const x = makeBackwardInputs(p, 75);
    const got = await flashAttentionBackwardGpu(gpu, p, x);
    expect([got.Br, got.Bc]).toEqual([8, 16]);
    expect(backwardTileBytes(64, 8, 16)).toBeLessThanOrEqual(WG_MEMORY_BUDGET);
    expect(backwardTileBytes(64, 16, 16)).toBeGreaterThan(WG_MEMORY_BUDGET);
    expect(backwardTilesFor(withMemory(48 * 1024), p)).toMatchObject({ Br: 32, Bc: 32 });
    expectClose(got.outputs, attentionBackward(x.q, x.k, x.v, x.dout, p, true));
    const bad = { ...x, dout: x.dout.slice(1) };
    await expect(flashAttentionBackwardGpu(gpu, p, bad)).rejects.toThrow(EngineError);
    await expect(attentionBackwardGpu(gpu, p, bad)).rejects.toThrow(/dout has/);
  });
});
