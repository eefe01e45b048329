import { describe, expect, it } from 'vitest';
import { makeAttentionInputs } from '../programs/attention/common';
import { selectiveScanChunkedProgram } from '../programs/mamba/selectiveScanChunked';
import { ssdChunkedProgram } from '../programs/ssd/ssdChunked';
import { softmaxAttention } from '../reference/attention';
import type { Gpu } from '../gpu/device';
import { attentionError, scanError, spread, ssdError } from './accuracy';
import { measure, type Variant } from './harness';

// Each check against its own subject's full float64 reference (rounded to f32, as a GPU run returns it):
// near zero; and a value of one sampled part moved by 1e-3 reads as 1e-3 (it is in the sample), while the
// same change to a part outside the sample is not seen (so the check is a sample, and says so).

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

describe('the bench accuracy checks', () => {
  it('spread picks evenly from first to last, never more than there are', () => {
    expect(spread(32, 4)).toEqual([0, 10, 21, 31]);
    expect(spread(3, 8)).toEqual([0, 1, 2]);
    expect(spread(1, 8)).toEqual([0]);
  });

  it('attention: sampled rows against the reference', () => {
    const p = { b: 2, sq: 40, sk: 40, h: 4, hk: 2, d: 8, causal: true };
    const x = makeAttentionInputs(p, 3);
    const ref = softmaxAttention(x.q, x.k, x.v, p, true);
    const got = { out: f32(ref.out), lse: f32(ref.lse) };
    const check = attentionError(p, 6);
    expect(check(got, x)).toBeLessThan(1e-6);
    got.out[0] += 1e-3; // row 0 of batch 0, head 0: the first sample
    // Relative to max(1, the sampled rows' largest |O|), which lies between 1 and the whole output's.
    const e = check(got, x);
    expect(e).toBeLessThanOrEqual(1.001e-3);
    expect(e).toBeGreaterThanOrEqual(0.999e-3 / Math.max(1, ...Array.from(ref.out, Math.abs)));
  });

  it('the selective scan: sampled channels against the reference of those channels alone', () => {
    const p = { batch: 1, D: 20, L: 24, N: 4, complex: false, bGroups: 1, cGroups: 1, deltaSoftplus: true };
    const x = selectiveScanChunkedProgram.makeInputs(p, 2);
    const ref = selectiveScanChunkedProgram.reference(p, x);
    const got = { out: f32(ref.out), lastState: f32(ref.lastState) };
    const check = scanError(p, 4); // channels 0, 6, 13, 19
    expect(check(got, x)).toBeLessThan(1e-6);
    got.out[3 * p.L] += 1; // channel 3: outside the sample
    expect(check(got, x)).toBeLessThan(1e-6);
    got.out[6 * p.L + 5] += 1; // channel 6: sampled
    expect(check(got, x)).toBeGreaterThan(0.05);
  });

  it('SSD: sampled heads against the reference of those heads alone', () => {
    const p = { batch: 1, T: 30, H: 5, P: 4, N: 8, G: 1, Q: 8 };
    const x = ssdChunkedProgram.makeInputs(p, 4);
    const ref = ssdChunkedProgram.reference(p, x);
    const got = { Y: f32(ref.Y), finalState: f32(ref.finalState) };
    const check = ssdError(p, 2); // heads 0 and 4
    expect(check(got, x)).toBeLessThan(1e-5);
    got.finalState[2 * p.P * p.N] += 1; // head 2: outside the sample
    expect(check(got, x)).toBeLessThan(1e-5);
    got.Y[(7 * p.H + 4) * p.P + 1] += 1; // t = 7, head 4: sampled
    expect(check(got, x)).toBeGreaterThan(0.05);
  });
});

describe('measure with checked variants', () => {
  const gpu = { features: { timestampQuery: false } } as unknown as Gpu;
  const opts = { reps: 3, rowBudgetMs: 1e6, warm: async () => {} };
  /** A variant that reports `error` when asked to check, and `ms` of GPU time. */
  const variant = (name: string, ms: number, error: number, tolerance = 1e-3): Variant => ({
    params: { name },
    tolerance,
    run: async (_g, check) => ({ gpuMs: ms, dispatches: [], chosen: {}, ...(check ? { error } : {}) }),
  });

  it('times only the variants within tolerance and reports the chosen one’s error', async () => {
    const m = await measure(gpu, [variant('fast but wrong', 1, 0.5), variant('right', 2, 1e-4)], opts);
    expect(m.params).toEqual({ name: 'right' });
    expect(m.accuracy).toEqual({ error: 1e-4, tolerance: 1e-3 });
    expect(m.candidates).toEqual([
      { params: { name: 'right' }, ms: 2, error: 1e-4 },
      { params: { name: 'fast but wrong' }, ms: 1, error: 0.5, refused: true },
    ]);
  });

  it('fails the row, naming the errors, when no variant is within tolerance', async () => {
    await expect(measure(gpu, [variant('a', 1, 0.5), variant('b', 1, Number.NaN)], opts)).rejects.toThrow(
      /every variant's error passes its tolerance/,
    );
  });

  it('leaves out the variants this device cannot hold, and fails the row, naming why, when it holds none', async () => {
    const big = { ...variant('too big', 0.5, 1e-5), unfit: () => '512 invocations over 256' };
    const m = await measure(gpu, [big, variant('fits', 2, 1e-4), variant('fits too', 3, 1e-4)], opts);
    expect(m.params).toEqual({ name: 'fits' });
    expect(m.candidates.map((c) => c.params.name)).toEqual(['fits', 'fits too']);
    await expect(measure(gpu, [big], opts)).rejects.toThrow(
      /no variant fits this device: 512 invocations over 256/,
    );
  });
});
