import { describe, expect, it } from 'vitest';
import { EngineError } from '../../gpu/errors';
import { testGpu } from '../../node/testGpu';
import { isVisible, kIndex, qIndex, resolveScale } from '../../reference/attention';
import { relCheck } from '../../util/compare';
import { makeAttentionInputs } from './common';
import { flashAttentionGpu } from './flashAttention';
import {
  createFlashAttentionStepper,
  flashAttentionStepCount,
  flashAttentionSteps,
} from './flashAttentionStepper';

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

  it('steps one tile per call, counts the K/V tiles it visits, rejects past the end and after dispose, and frees its buffers (non-causal, 6 tiles)', async () => {
    const gpu = await testGpu();
    const before = gpu.liveBuffers.size;
    const full = { ...p, causal: false };
    const sel = { b: 0, head: 0, qTile: 0 };
    const stepper = await createFlashAttentionStepper(gpu, full, x, sel);
    try {
      expect(stepper.backend).toBe('webgpu');
      expect(stepper.count).toBe(Math.ceil(p.sk / p.Bc));
      expect(flashAttentionStepCount(full, sel)).toBe(stepper.count);
      const first = await stepper.step();
      expect(first.t).toBe(0);
      expect(first.P.length).toBe(16 * 12);
      while (stepper.k < stepper.count) await stepper.step();
      await expect(stepper.step()).rejects.toBeInstanceOf(EngineError);
      await stepper.reset();
      expect(stepper.k).toBe(0);
      expect((await stepper.step()).m).toEqual(first.m);
    } finally {
      stepper.dispose();
    }
    await expect(stepper.step()).rejects.toBeInstanceOf(EngineError);
    expect(gpu.liveBuffers.size).toBe(before);
  });

  it('the step count is the visible K/V tiles of the chosen Q tile: 5 of 6 for rows 16..31, causal (sq=50, sk=70, Bc=12)', () => {
    expect(flashAttentionStepCount(p, { b: 0, head: 0, qTile: 1 })).toBe(5);
    expect(flashAttentionStepCount(p, { b: 0, head: 0, qTile: 3 })).toBe(6);
    expect(flashAttentionStepCount({ ...p, sq: 90, sk: 20 }, { b: 0, head: 0, qTile: 0 })).toBe(0);
  });

  it('the GPU stepper equals the float64 CPU stepper at every step (m, l, O and P; causal, GQA 4/2)', async () => {
    const gpu = await testGpu();
    const sel = { b: 1, head: 1, qTile: 2 };
    const [onGpu, onCpu] = await Promise.all([
      flashAttentionSteps(gpu, p, x, sel),
      flashAttentionSteps(null, p, x, sel),
    ]);
    expect(onCpu.length).toBe(flashAttentionStepCount(p, sel));
    expect(onGpu.length).toBe(onCpu.length);
    onGpu.forEach((g, t) => {
      const c = onCpu[t];
      expect([g.t, g.c0, g.cols, g.r0, g.rows]).toEqual([c.t, c.c0, c.cols, c.r0, c.rows]);
      expect(relCheck(g.m, c.m, 1e-5).ok).toBe(true);
      expect(relCheck(g.l, c.l, 1e-4).ok).toBe(true);
      expect(relCheck(g.O, c.O, 1e-4).ok).toBe(true);
      expect(relCheck(g.P, c.P, 1e-4).ok).toBe(true);
    });
  });

  it('refuses a Q tile outside the problem', async () => {
    const gpu = await testGpu();
    await expect(createFlashAttentionStepper(gpu, p, x, { b: 0, head: 0, qTile: 5 })).rejects.toBeInstanceOf(
      EngineError,
    );
    expect(() => flashAttentionStepCount(p, { b: 2, head: 0, qTile: 0 })).toThrow(EngineError);
  });
});
