import { describe, expect, it } from 'vitest';
import { layoutGrowth } from './growthLayout';

describe('growth chart layout', () => {
  it('puts a growing series above flat ones at the end, and groups equal last values under one label', () => {
    const L = 10;
    const flat = (v: number) => Array.from({ length: L }, () => v);
    const grows = Array.from({ length: L }, (_, t) => 64 * (t + 1));
    const g = layoutGrowth([flat(32), grows, flat(256), flat(256)], {
      width: 400,
      height: 200,
      labelWidth: 120,
    });
    expect(g.labels.map((l) => l.series)).toEqual([[1], [2, 3], [0]]);
    expect(g.y(640)).toBeLessThan(g.y(256));
    expect(g.paths.every((p) => p.startsWith('M'))).toBe(true);
    expect(g.xTicks.map((t) => t.t)).toEqual([1, 5, 10]);
    expect(g.yTicks.map((t) => t.value)).toEqual([64, 256]);
  });

  it('keeps end labels a line apart and inside the plot when values are close, a group taking a line per series', () => {
    const g = layoutGrowth([[100], [101], [102], [102], [103]], {
      width: 300,
      height: 80,
      labelWidth: 100,
      lineHeight: 16,
    });
    expect(g.labels.map((l) => l.series.length)).toEqual([1, 2, 1, 1]);
    for (let i = 1; i < g.labels.length; i++) {
      const prev = g.labels[i - 1];
      expect(g.labels[i].y - prev.y).toBeGreaterThanOrEqual(16 * prev.series.length - 1e-9);
    }
    expect(g.labels[g.labels.length - 1].y).toBeLessThanOrEqual(g.plot.bottom + 1e-9);
  });
});
