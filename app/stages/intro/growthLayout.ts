// Layout of the "bytes per model against token t" chart: t on a linear axis, bytes on a log₂ axis (a flat
// line is a state that stays the same size, a rising one a cache that grows), one path per model, and
// end labels grouping the models whose last values are equal, pushed apart so they never overlap.
// Positions only; GrowthChart.tsx renders them.

import { line, type ScaleLinear, type ScaleLogarithmic, scaleLinear, scaleLog } from 'd3';

export interface GrowthLabel {
  /** Indices of the series this label names (equal last values), one line each. */
  series: number[];
  value: number;
  /** Baseline-centre of the first line; line i sits i·lineHeight below. */
  y: number;
}

export interface GrowthLayout {
  x: ScaleLinear<number, number>;
  y: ScaleLogarithmic<number, number>;
  paths: string[];
  labels: GrowthLabel[];
  yTicks: Array<{ value: number; y: number }>;
  xTicks: Array<{ t: number; x: number }>;
  plot: { left: number; right: number; top: number; bottom: number };
}

export interface GrowthOptions {
  width: number;
  height: number;
  /** Room on the right for the end labels. */
  labelWidth: number;
  left?: number;
  top?: number;
  bottom?: number;
  /** Height of one label line: a group of k series takes k lines. */
  lineHeight?: number;
}

/** series[i][t−1] = bytes of series i after token t (t = 1..L). */
export function layoutGrowth(series: readonly (readonly number[])[], o: GrowthOptions): GrowthLayout {
  const L = Math.max(1, series[0]?.length ?? 1);
  const plot = {
    left: o.left ?? 56,
    right: o.width - o.labelWidth,
    top: o.top ?? 10,
    bottom: o.height - (o.bottom ?? 24),
  };
  const all = series.flat().filter((v) => v > 0);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const x = scaleLinear()
    .domain([1, Math.max(2, L)])
    .range([plot.left, plot.right]);
  const y = scaleLog()
    .base(2)
    .domain([lo / 1.5, hi * 1.5])
    .range([plot.bottom, plot.top]);
  const path = line<number>()
    .x((_, i) => x(i + 1))
    .y((v) => y(v));
  const paths = series.map((s) => path(L === 1 ? [s[0], s[0]] : [...s]) ?? '');
  // Group equal last values; centre each block of lines on its value, then push blocks apart top-down.
  const groups = new Map<number, number[]>();
  for (const [i, s] of series.entries()) groups.set(s[L - 1], [...(groups.get(s[L - 1]) ?? []), i]);
  const lh = o.lineHeight ?? 14;
  const labels = [...groups.entries()]
    .map(([value, idx]) => ({ series: idx, value, y: y(value) - ((idx.length - 1) * lh) / 2 }))
    .sort((a, b) => a.value - b.value)
    .reverse();
  for (let i = 1; i < labels.length; i++) {
    const below = labels[i - 1].y + labels[i - 1].series.length * lh;
    labels[i].y = Math.max(labels[i].y, below);
  }
  const last = labels.at(-1);
  const overflow = last ? last.y + (last.series.length - 1) * lh - plot.bottom : 0;
  if (overflow > 0) for (const l of labels) l.y -= overflow;
  const yTicks: GrowthLayout['yTicks'] = [];
  for (let v = 16; v <= hi * 1.5; v *= 4) if (v >= lo / 1.5) yTicks.push({ value: v, y: y(v) });
  const xTicks = [...new Set([1, Math.ceil(L / 2), L])].map((t) => ({ t, x: x(t) }));
  return { x, y, paths, labels, yTicks, xTicks, plot };
}
