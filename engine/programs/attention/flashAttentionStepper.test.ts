import { describe, expect, it } from 'vitest';
import { EngineError } from '../../gpu/errors';
import { testGpu } from '../../node/testGpu';
import { isVisible, kIndex, qIndex, resolveScale } from '../../reference/attention';
import { relCheck } from '../../util/compare';
import { makeAttentionInputs } from './common';
import { flashAttentionGpu } from './flashAttention';
import { FlashAttentionStepper, flashAttentionSteps } from './flashAttentionStepper';

const p = { b: 2, sq: 50, sk: 70, h: 4, hk: 2, d: 8, causal: true, Br: 16, Bc: 12 };
const x = makeAttentionInputs(p, 21);

/** Scores of query row i against keys [0, end) in float64, −inf where masked. */
function scores(b: number, hh: number, i: number, end: number): number[] {
  const kh = Math.floor(hh / (p.h / p.hk));
  const scale = resolveScale(p.d);
  const out: number[] = [];
  for (let j = 0; j < end; j++) {
    if (!isVisible(i, j, p.sq, p.sk, true)) {
      out.push(Number.NEGATIVE_INFINITY);
      continue;
    }
    let dot = 0;
    for (let c = 0; c < p.d; c++) dot += x.q[qIndex(p, b, i, hh) + c] * x.k[kIndex(p, b, j, kh) + c];
    out.push(scale * dot);
  }
  return out;
}

describe('FlashAttention stepper', () => {
  it('after each K/V tile, m and l are the running max and sum over the keys seen so far (sq=50, sk=70, Br=16, Bc=12)', async () => {
    const gpu = await testGpu();
    const sel = { b: 1, head: 3, qTile: 1 };
    const steps = await flashAttentionSteps(gpu, p, x, sel);
    // Rows 16..31 reach key 31 + 20 = 51: tiles 0..4 of Bc = 12; tile 5 (keys 60..69) is skipped.
    expect(steps.length).toBe(5);
    for (const s of steps) {
      const end = s.c0 + s.cols;
      const m = new Float64Array(s.rows);
      const l = new Float64Array(s.rows);
      for (let r = 0; r < s.rows; r++) {
        const row = scores(sel.b, sel.head, s.r0 + r, end);
        m[r] = Math.max(...row);
        l[r] = row.reduce((acc, v) => acc + (v === Number.NEGATIVE_INFINITY ? 0 : Math.exp(v - m[r])), 0);
      }
      expect(relCheck(s.m, m, 1e-5).ok).toBe(true);
      expect(relCheck(s.l, l, 1e-4).ok).toBe(true);
    }
  });

  it('the last step, divided by l, equals the forward kernel’s output rows', async () => {
    const gpu = await testGpu();
    const sel = { b: 0, head: 2, qTile: 3 };
    const steps = await flashAttentionSteps(gpu, p, x, sel);
    const last = steps[steps.length - 1];
    const flash = (await flashAttentionGpu(gpu, p, x)).outputs.out;
    const got = new Float64Array(last.rows * p.d);
    const want = new Float64Array(last.rows * p.d);
    for (let r = 0; r < last.rows; r++) {
      for (let c = 0; c < p.d; c++) {
        got[r * p.d + c] = last.O[r * p.d + c] / last.l[r];
        want[r * p.d + c] = flash[qIndex(p, sel.b, last.r0 + r, sel.head) + c];
      }
    }
    expect(last.rows).toBe(2);
    expect(relCheck(got, want, 1e-5).ok).toBe(true);
  });

  it('steps one tile per call, ends with null, and frees its buffers on dispose', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const stepper = await FlashAttentionStepper.create(gpu, { ...p, causal: false }, x, {
      b: 0,
      head: 0,
      qTile: 0,
    });
    try {
      expect(stepper.tiles).toBe(Math.ceil(p.sk / p.Bc));
      const first = await stepper.step();
      expect(first?.t).toBe(0);
      expect(first?.P.length).toBe(16 * 12);
      while (await stepper.step()) {}
      expect(stepper.done).toBe(stepper.tiles);
      expect(await stepper.step()).toBeNull();
    } finally {
      stepper.dispose();
    }
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('refuses a Q tile outside the problem', async () => {
    const gpu = await testGpu();
    await expect(FlashAttentionStepper.create(gpu, p, x, { b: 0, head: 0, qTile: 4 })).rejects.toBeInstanceOf(
      EngineError,
    );
  });
});
