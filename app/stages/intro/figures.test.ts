// The intro table's rows and checks from a CPU run of the engine's program (float64 reference).

import { describe, expect, it } from 'vitest';
import { introStage } from '../../../engine';
import { decodeCheck, memoryCheck, modelRows } from './figures';
import { defaultParams } from '../types';
import { introStageParams } from './params';
import { introRuntime, toIntroParams } from './runtime';

const result = (L: number) => introRuntime.run(null, { ...defaultParams(introStageParams), L });

describe('intro table rows', () => {
  it('reads parallelism and growth off the measured numbers for L=40', async () => {
    const r = await result(40);
    const rows = Object.fromEntries(modelRows(r).map((m) => [m.id, m]));
    expect(rows.rnn.parallelism).toBe('perPosition');
    expect(rows.attention.parallelism).toBe('none');
    expect(rows.s4.parallelism).toBe('none');
    for (const id of ['linear', 'mamba', 'mamba2']) expect(rows[id].parallelism, id).toBe('perChunk');
    expect(rows.attention.stateGrowth).toBe('grows');
    expect(rows.attention.stateBytes).toBe(40 * rows.attention.stateBytesFirst);
    expect(rows.attention.tokenGrowth).toBe('grows');
    for (const id of ['rnn', 'linear', 's4', 'mamba', 'mamba2']) {
      expect(rows[id].stateGrowth, id).toBe('constant');
      expect(rows[id].tokenGrowth, id).toBe('constant');
      expect(rows[id].decodeErr, id).toBeLessThan(1e-6);
    }
  });

  it('passes both checks on the CPU, and the memory check fails when a state byte count is off', async () => {
    const r = await result(9);
    expect(decodeCheck(r).maxErr).toBeLessThanOrEqual(decodeCheck(r).tolerance);
    expect(memoryCheck(r)).toEqual({ maxErr: 0, tolerance: 0 });
    const off = Float64Array.from(r.outputs.stateBytes);
    off[3] += 16;
    expect(memoryCheck({ ...r, outputs: { ...r.outputs, stateBytes: off } }).maxErr).toBe(16);
    const y = Float64Array.from(r.outputs.yDecode);
    y[5] += 0.5;
    const bad = decodeCheck({ ...r, outputs: { ...r.outputs, yDecode: y } });
    expect(bad.maxErr).toBeGreaterThan(bad.tolerance);
  });
});

describe('intro parameter specs', () => {
  it('the defaults and the extremes of L pass the engine validation', () => {
    const base = defaultParams(introStageParams);
    const [lo, hi] = introStage.INTRO_STAGE_LIMITS.L;
    const spec = introStageParams.find((s) => s.key === 'L');
    expect(spec && spec.kind === 'number' && [spec.min >= lo, spec.max <= hi]).toEqual([true, true]);
    for (const L of [lo, hi, base.L])
      expect(() => introStage.validateIntroStageParams(toIntroParams({ ...base, L }))).not.toThrow();
  });
});
