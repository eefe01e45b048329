// Layout of the race's log-log plots (time against L, bytes allocated against L): one series per algorithm
// from the rows that ran, the reference run's series beside them, the crossovers of the compared pairs at
// their interpolated (L, ms). Positions only (d3 scales); Plot.tsx renders them.

import { line, type ScaleLogarithmic, scaleLog } from 'd3';
import type { raceStage } from '../../../engine';

export type Metric = 'ms' | 'bytesAllocated';

export interface Point {
  L: number;
  v: number;
}

export interface Series {
  id: string;
  /** From the reference run (drawn thinner and dashed), not the reader's. */
  reference: boolean;
  points: Point[];
}

export interface PlotLayout {
  x: ScaleLogarithmic<number, number>;
  y: ScaleLogarithmic<number, number>;
  plot: { left: number; right: number; top: number; bottom: number };
  /** Every measured L; `label` false where its number would run into the previous one (narrow plots). */
  xTicks: Array<{ L: number; x: number; label: boolean }>;
  yTicks: Array<{ v: number; y: number }>;
  paths: Array<{ series: Series; d: string; dots: Array<{ x: number; y: number; p: Point }> }>;
}

/** Every algorithm's measured points of `metric`, in the report's algorithm order. */
export function seriesOf(
  report: raceStage.Report,
  metric: Metric,
  reference: boolean,
  ids?: readonly string[],
) {
  const out: Series[] = [];
  for (const a of report.algorithms) {
    if (ids && !ids.includes(a.id)) continue;
    const points = report.rows
      .filter((r) => r.algorithm === a.id && r.status === 'ok' && (r[metric] ?? 0) > 0)
      .map((r) => ({ L: r.L, v: r[metric] as number }))
      .sort((p, q) => p.L - q.L);
    if (points.length > 0) out.push({ id: a.id, reference, points });
  }
  return out;
}

/** Powers of ten covering [lo, hi] (at least one decade). */
export function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  const [a, b] = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
  for (let e = a; e <= Math.max(b, a + 1); e++) out.push(10 ** e);
  return out;
}

/** Powers of two covering [lo, hi], at most about six of them (bytes: 1 KiB, 32 KiB, 1 MiB …). */
export function binaryTicks(lo: number, hi: number): number[] {
  const [a, b] = [Math.floor(Math.log2(lo)), Math.ceil(Math.log2(hi))];
  const step = Math.max(1, Math.ceil((b - a) / 5));
  const out: number[] = [];
  for (let e = a; e < b + step; e += step) out.push(2 ** e);
  return out;
}

export function layoutPlot(
  series: readonly Series[],
  o: { width: number; height: number; left?: number; bottom?: number; binary?: boolean },
): PlotLayout {
  const plot = { left: o.left ?? 58, right: o.width - 22, top: 10, bottom: o.height - (o.bottom ?? 34) };
  const pts = series.flatMap((s) => s.points);
  const Ls = [...new Set(pts.map((p) => p.L))].sort((a, b) => a - b);
  const [l0, l1] = Ls.length > 0 ? [Ls[0], Ls[Ls.length - 1]] : [1, 2];
  const x = scaleLog()
    .domain([l0, l1 > l0 ? l1 : l0 * 2])
    .range([plot.left, plot.right]);
  const vs = pts.map((p) => p.v);
  const ticks =
    vs.length === 0 ? [1, 10] : (o.binary ? binaryTicks : decades)(Math.min(...vs), Math.max(...vs));
  const y = scaleLog()
    .domain([ticks[0], ticks[ticks.length - 1]])
    .range([plot.bottom, plot.top]);
  const path = line<Point>()
    .x((p) => x(p.L))
    .y((p) => y(p.v));
  return {
    x,
    y,
    plot,
    xTicks: thin(Ls.map((L) => ({ L, x: x(L), label: true }))),
    yTicks: ticks.map((v) => ({ v, y: y(v) })),
    paths: series.map((s) => ({
      series: s,
      d: path(s.points) ?? '',
      dots: s.points.map((p) => ({ x: x(p.L), y: y(p.v), p })),
    })),
  };
}

/** Room for one L label ("16,384" at 11 px): labels closer than this to the last shown one are dropped. */
export const LABEL_GAP = 40;

function thin<T extends { x: number; label: boolean }>(ticks: T[]): T[] {
  let last = Number.NEGATIVE_INFINITY;
  for (const t of ticks) {
    t.label = t.x - last >= LABEL_GAP;
    if (t.label) last = t.x;
  }
  return ticks;
}

/** Each crossover of the report's comparisons with its place on a time plot. */
export function crossoverMarks(report: raceStage.Report, g: PlotLayout) {
  return report.comparisons.flatMap((c) =>
    c.crossovers.map((at) => ({ c, at, x: g.x(at.L), y: g.y(at.ms) })),
  );
}
