// Tests of the ssm views' pure parts: Ā and B̄ cell sizes that always fit, the narrated sentence, numbers.

import { describe, expect, it } from 'vitest';
import { discCell } from './DiscretizationSection';
import { fmt3 } from './format';
import type { SsmResult, SsmStep } from './runtime';
import { narrateSsm } from './stage';

describe('ssm views', () => {
  it('Ā (N cells) and B̄ (its labelled column) fit side by side in every width a method box can have', () => {
    for (let width = 240; width <= 560; width += 7)
      for (let N = 2; N <= 32; N++) {
        const cell = discCell(width, N);
        const used = N * cell + (N - 1) + 16 + Math.max(cell, 44);
        if (cell > 6) expect(used, `width ${width}, N ${N}`).toBeLessThanOrEqual(width);
        expect(cell).toBeGreaterThanOrEqual(6);
        expect(cell).toBeLessThanOrEqual(36);
      }
  });

  it('the narration gives x_k, y_k and the largest entry of h_k, and says nothing before the step is read back', () => {
    const t = (key: string, v?: Record<string, unknown>) => `${key} ${JSON.stringify(v ?? {})}`;
    const r = { inputs: { u: new Float32Array([0.5, -2]) } } as unknown as SsmResult;
    const steps: SsmStep[] = [
      { k: 0, x: new Float32Array([0.1, -0.3, 0.2]), y: 0.25 },
      { k: 1, x: new Float32Array([0.4, 0.1, -0.9]), y: -1.5 },
    ];
    expect(narrateSsm(t, 0, r, steps)).toBe('narrate.start {}');
    expect(narrateSsm(t, 1, r, steps)).toBe(
      'narrate.step {"k":"1","x":"0.500","y":"0.250","n":"1","h":"−0.300"}',
    );
    expect(narrateSsm(t, 2, r, steps)).toContain('"x":"−2.000","y":"−1.500","n":"2","h":"−0.900"');
    expect(narrateSsm(t, 3, r, steps)).toBeNull();
    expect(narrateSsm(t, 1, null, steps)).toBeNull();
  });

  it('numbers in the text have three decimals, a true minus sign, and … when not read back', () => {
    expect(fmt3(-0.12345)).toBe('−0.123');
    expect(fmt3(2)).toBe('2.000');
    expect(fmt3(Number.NaN)).toBe('…');
  });
});
