// The attention stage's live checks on real CPU results: they pass on the engine's own numbers, and fail
// when one value is moved past the tolerance.

import { describe, expect, it } from 'vitest';
import { defaultParams } from '../types';
import { cacheRows, decodeCheck, flashNaiveCheck, headOf, kvHeadOf, weightsRow } from './checks';
import { attentionStageParams } from './params';
import { type AttentionResult, type AttentionStep, attentionRuntime } from './runtime';

const values = { ...defaultParams(attentionStageParams), text: 'one two three four', d: 4, h: '4', hk: '2' };

async function cpuRun(): Promise<{ r: AttentionResult; steps: AttentionStep[] }> {
  const r = (await attentionRuntime.run(null, values)) as AttentionResult;
  const stepper = await attentionRuntime.createStepper(null, values, r);
  const steps: AttentionStep[] = [];
  while (stepper.k < stepper.count) steps.push(await stepper.step());
  return { r, steps };
}

describe('attention checks', () => {
  it('flash = naive and decode = batched pass on the CPU backend’s own numbers, and fail on a moved value', async () => {
    const { r, steps } = await cpuRun();
    expect(r.backend).toBe('cpu');
    expect(r.gpuCpu).toBeNull();
    const flash = flashNaiveCheck(r);
    expect(flash.maxErr).toBeLessThanOrEqual(flash.tolerance);
    const ok = decodeCheck(r, steps, 4);
    expect(ok.compared).toBe(4);
    expect(ok.maxErr).toBeLessThanOrEqual(ok.tolerance);
    expect(decodeCheck(r, steps, 0).compared).toBe(0);
    const bad = steps.map((s) => ({ ...s, weights: s.weights.map((w, j) => (j === 0 ? w + 1e-2 : w)) }));
    expect(decodeCheck(r, bad, 4).maxErr).toBeGreaterThan(ok.tolerance);
    const worse = {
      ...r,
      outputs: { ...r.outputs, outFlash: r.outputs.outFlash.map((v, i) => (i === 3 ? v + 1 : v)) },
    };
    expect(flashNaiveCheck(worse).maxErr).toBeGreaterThan(flashNaiveCheck(worse).tolerance);
  });

  it('lays out one head, the K cache of a K/V head and a weights row as the views draw them', async () => {
    const { r, steps } = await cpuRun();
    const { h, hk, d } = r.params;
    expect([0, 1, 2, 3].map((i) => kvHeadOf(i, h, hk))).toEqual([0, 0, 1, 1]);
    const q2 = headOf(r.outputs.q, 4, h, d, 2);
    expect(q2[d + 1]).toBe(r.outputs.q[(1 * h + 2) * d + 1]);
    const K = cacheRows(steps, 2, 4, r.params, 1, 'k');
    expect(K[d + 3]).toBe(steps[1].k[d + 3]);
    expect(Number.isNaN(K[2 * d])).toBe(true);
    const w = weightsRow(steps[2], 4, 1);
    expect(Array.from(w.slice(0, 3))).toEqual(Array.from(steps[2].weights.slice(3, 6)));
    expect(Number.isNaN(w[3])).toBe(true);
  });
});
