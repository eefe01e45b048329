// Layout of a sequence (input x, output y, kernel K) as bars around a zero line, with d3 band and linear
// scales; step k highlights one bar. Positions only; components/SequenceBars.tsx renders them.

import { scaleBand, scaleLinear } from 'd3';

export interface Bar {
  i: number;
  x: number;
  y: number;
  w: number;
  h: number;
  value: number;
  active: boolean;
  /** False for bars not reached yet (drawn faint). */
  known: boolean;
}

export interface SequenceLayout {
  width: number;
  height: number;
  bars: Bar[];
  zeroY: number;
  /** Maps a value to its y pixel (for overlays such as a second series drawn as dots). */
  y: (v: number) => number;
  /** Centre x of bar i. */
  cx: (i: number) => number;
  domain: [number, number];
}

export interface SequenceOptions {
  width: number;
  height: number;
  /** Index of the highlighted bar, or -1. */
  active?: number;
  /** Bars with index >= knownUpTo are not reached yet. */
  knownUpTo?: number;
  /** y domain; by default symmetric-ish around the data, always including 0. */
  domain?: [number, number];
  padTop?: number;
  padBottom?: number;
}

export function valueDomain(...series: ArrayLike<number>[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const s of series)
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (lo === hi) return [-1, 1];
  const pad = (hi - lo) * 0.05;
  return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0];
}

export function layoutSequence(values: ArrayLike<number>, opts: SequenceOptions): SequenceLayout {
  const n = values.length;
  const padTop = opts.padTop ?? 4;
  const padBottom = opts.padBottom ?? 4;
  const domain = opts.domain ?? valueDomain(values);
  const xs = scaleBand<number>()
    .domain(Array.from({ length: n }, (_, i) => i))
    .range([0, opts.width])
    .paddingInner(n > 128 ? 0 : 0.15);
  const ys = scaleLinear()
    .domain(domain)
    .range([opts.height - padBottom, padTop]);
  const zeroY = ys(0);
  const known = opts.knownUpTo ?? n;
  const bars: Bar[] = [];
  for (let i = 0; i < n; i++) {
    const v = Number.isFinite(values[i]) ? values[i] : 0;
    const y = ys(v);
    bars.push({
      i,
      x: xs(i) ?? 0,
      y: Math.min(y, zeroY),
      w: Math.max(xs.bandwidth(), 0.5),
      h: Math.max(Math.abs(y - zeroY), 0.5),
      value: values[i],
      active: i === opts.active,
      known: i < known,
    });
  }
  return {
    width: opts.width,
    height: opts.height,
    bars,
    zeroY,
    y: (v) => ys(v),
    cx: (i) => (xs(i) ?? 0) + xs.bandwidth() / 2,
    domain,
  };
}
