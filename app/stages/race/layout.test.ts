// The plots' layout on a made-up report: the series hold only rows that ran, in L order; the axes are log
// scales whose ticks cover the values by decades; a crossover sits where compare() put it.

import { describe, expect, it } from 'vitest';
import { raceStage } from '../../../engine';
import { binaryTicks, crossoverMarks, decades, LABEL_GAP, layoutPlot, seriesOf } from './layout';

const row = (algorithm: string, L: number, ms: number | null): raceStage.Row =>
  ({
    algorithm,
    L,
    ms,
    status: ms === null ? 'skipped' : 'ok',
    bytesAllocated: ms && 1000 * L,
  }) as raceStage.Row;

function made(): raceStage.Report {
  // a ∝ L, b ∝ L²/1024: equal at L = 1024.
  const Ls = [256, 512, 2048, 4096];
  const rows = Ls.flatMap((L) => [row('a', L, L / 1000), row('b', L, (L * L) / 1024 / 1000)]);
  rows.push(row('c', 256, null));
  const algorithms = ['a', 'b', 'c'].map((id) => ({ id }) as raceStage.AlgorithmInfo);
  const comparisons = [raceStage.compare(rows, { a: 'a', b: 'b' })];
  return { rows, algorithms, comparisons } as unknown as raceStage.Report;
}

describe('the race plots', () => {
  it('draw one series per algorithm that ran, its points in L order', () => {
    const s = seriesOf(made(), 'ms', false);
    expect(s.map((x) => x.id)).toEqual(['a', 'b']);
    expect(s[0].points.map((p) => p.L)).toEqual([256, 512, 2048, 4096]);
    expect(seriesOf(made(), 'bytesAllocated', true, ['b'])[0].points[0]).toEqual({ L: 256, v: 256_000 });
  });

  it('cover the values with decades on log axes', () => {
    expect(decades(0.03, 4)).toEqual([0.01, 0.1, 1, 10]);
    expect(decades(2, 3)).toEqual([1, 10]);
    // Bytes: powers of two, about six at most, covering the values.
    expect(binaryTicks(1000, 3000)).toEqual([512, 1024, 2048, 4096]);
    const wide = binaryTicks(5000, 9e8);
    expect(wide.length).toBeLessThanOrEqual(7);
    expect(wide[0]).toBeLessThanOrEqual(5000);
    expect(wide[wide.length - 1]).toBeGreaterThanOrEqual(9e8);
    const g = layoutPlot(seriesOf(made(), 'ms', false), { width: 400, height: 300 });
    expect(g.x(256)).toBeCloseTo(g.plot.left, 6);
    expect(g.x(4096)).toBeCloseTo(g.plot.right, 6);
    // Equal ratios are equal distances on a log axis.
    expect(g.x(512) - g.x(256)).toBeCloseTo(g.x(4096) - g.x(2048), 6);
    expect(g.yTicks[0].y).toBeCloseTo(g.plot.bottom, 6);
    expect(g.xTicks.every((t) => t.label)).toBe(true);
    // On a narrow plot, labels that would touch the previous one are dropped; the first always stays.
    const narrow = layoutPlot(seriesOf(made(), 'ms', false), { width: 150, height: 300 });
    const shown = narrow.xTicks.filter((t) => t.label);
    expect(shown[0].L).toBe(256);
    expect(shown.length).toBeLessThan(4);
    for (let i = 1; i < shown.length; i++)
      expect(shown[i].x - shown[i - 1].x).toBeGreaterThanOrEqual(LABEL_GAP);
  });

  it('place the crossover at the interpolated L and time', () => {
    const r = made();
    const g = layoutPlot(seriesOf(r, 'ms', false), { width: 400, height: 300 });
    const [m] = crossoverMarks(r, g);
    expect(m.at.L).toBeCloseTo(1024, 6);
    expect(m.x).toBeCloseTo(g.x(1024), 6);
    expect(m.y).toBeCloseTo(g.y(1.024), 6);
  });
});
