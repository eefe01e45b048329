// Pure layouts of the rnn stage's own diagrams (positions only, d3 scales; the views render them): the
// unrolled chain (one column per step t = 0..T, a row of state strips per state, tokens beneath) and the
// fading-memory plot (δ_t on a log scale, exact zeros on a floor line of their own).

import { scaleLinear, scaleLog } from 'd3';
import { formatNumber } from '../../i18n';

export interface ChainLayout {
  width: number;
  height: number;
  /** Column centre of step t (t = 0 is the initial state). */
  cx: (t: number) => number;
  colW: number;
  /** Top of state row r's strips, and a strip's height (H cells of cellH). */
  rowY: (r: number) => number;
  stripH: number;
  stripW: number;
  cellH: number;
  /** Baseline of the token labels (x_t) under the columns. */
  tokenY: number;
}

/** Columns for t = 0..T, `rows` state rows of H cells each stacked above the tokens. */
export function chainLayout(T: number, H: number, rows: number, opts: { colW?: number } = {}): ChainLayout {
  const colW = opts.colW ?? 56;
  const cellH = Math.max(3, Math.min(8, Math.floor(96 / H)));
  const stripH = cellH * H;
  const stripW = 16;
  const gapY = 34;
  const top = 8;
  const rowY = (r: number) => top + r * (stripH + gapY);
  const tokenY = rowY(rows - 1) + stripH + gapY + 6;
  return {
    width: (T + 1) * colW,
    height: tokenY + 14,
    cx: (t) => (t + 0.5) * colW,
    colW,
    rowY,
    stripH,
    stripW,
    cellH,
    tokenY,
  };
}

export interface LogPlot {
  width: number;
  height: number;
  /** x of step index i (0-based: screen step i + 1). */
  x: (i: number) => number;
  /** y of a value: positive values on the log scale, 0 on the floor line, NaN → null (not reached). */
  y: (v: number) => number | null;
  floorY: number;
  /** Powers of ten inside the domain, for tick lines. */
  ticks: number[];
  domain: [number, number];
  left: number;
}

/** A log-scale plot of the positive values of `series` over n steps; zeros sit on a floor below the axis. */
export function logPlot(
  series: readonly ArrayLike<number>[],
  n: number,
  opts: { width: number; height: number; left?: number },
): LogPlot {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const s of series)
    for (let i = 0; i < s.length; i++)
      if (s[i] > 0 && Number.isFinite(s[i])) {
        lo = Math.min(lo, s[i]);
        hi = Math.max(hi, s[i]);
      }
  if (hi === 0) [lo, hi] = [1e-3, 1];
  // Decades parsed from their exponents: 1e-5 exactly, where 10 ** -5 is not.
  const decade = (e: number) => Number(`1e${e}`);
  const exp = (v: number, f: (x: number) => number) => decade(f(Math.log10(v)));
  const domain: [number, number] = [exp(lo, Math.floor), exp(hi, Math.ceil)];
  if (domain[0] === domain[1]) domain[0] /= 10;
  const left = opts.left ?? 48;
  const floorY = opts.height - 10;
  const scaleY = scaleLog()
    .domain(domain)
    .range([floorY - 16, 8]);
  const scaleX = scaleLinear()
    .domain([0, Math.max(1, n - 1)])
    .range([left + 8, opts.width - 10]);
  const ticks: number[] = [];
  for (let e = Math.round(Math.log10(domain[0])); e <= Math.round(Math.log10(domain[1])); e++)
    ticks.push(decade(e));
  return {
    width: opts.width,
    height: opts.height,
    x: (i) => scaleX(i),
    y: (v) => (Number.isNaN(v) ? null : v > 0 ? scaleY(v) : floorY),
    floorY,
    ticks,
    domain,
    left,
  };
}

const SUPER: Record<string, string> = {
  '-': '⁻',
  0: '⁰',
  1: '¹',
  2: '²',
  3: '³',
  4: '⁴',
  5: '⁵',
  6: '⁶',
  7: '⁷',
  8: '⁸',
  9: '⁹',
};

/** 1, 0.1, 0.01, then 10⁻³ …: a decade as a reader writes it. */
export function decadeLabel(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e >= -2 && e <= 3) return formatNumber(v);
  return `10${[...String(e)].map((ch) => SUPER[ch]).join('')}`;
}
