// Layout of a small matrix as a grid of coloured cells (d3 diverging scale, symmetric around 0).
// Positions and colours only; components/MatrixGrid.tsx renders them as SVG.

import { format, interpolateRdBu, scaleDiverging } from 'd3';

export interface GridCell {
  r: number;
  c: number;
  x: number;
  y: number;
  size: number;
  value: number;
  fill: string;
  textFill: string;
  label: string;
}

export interface GridLayout {
  width: number;
  height: number;
  cells: GridCell[];
  /** Largest |value| in the colour domain. */
  extent: number;
}

const fmt = format('.2~f');
/** Fill of a cell with no value yet (NaN). */
export const UNKNOWN = 'var(--cell-unknown)';

/** Short cell text: two decimals, "0" for values that round to zero, "−" as a real minus sign. */
export function cellLabel(v: number): string {
  if (Number.isNaN(v)) return '';
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v) < 0.005 ? '0' : fmt(v);
  return s.replace('-', '−');
}

export function layoutMatrixGrid(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: { cell: number; gap?: number; extent?: number },
): GridLayout {
  const gap = opts.gap ?? 1;
  let extent = opts.extent ?? 0;
  if (opts.extent === undefined)
    for (let i = 0; i < rows * cols; i++)
      if (Number.isFinite(values[i])) extent = Math.max(extent, Math.abs(values[i]));
  if (extent === 0) extent = 1;
  // Red for negative, blue for positive; 0 is white.
  const color = scaleDiverging<string>(interpolateRdBu)
    .domain([-extent, 0, extent])
    .clamp(true)
    .unknown(UNKNOWN);
  const cells: GridCell[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const value = values[r * cols + c];
      const strong = Number.isFinite(value) && Math.abs(value) / extent > 0.6;
      cells.push({
        r,
        c,
        x: c * (opts.cell + gap),
        y: r * (opts.cell + gap),
        size: opts.cell,
        value,
        fill: color(value),
        textFill: strong ? '#fff' : '#1a1a1a',
        label: cellLabel(value),
      });
    }
  return { width: cols * (opts.cell + gap) - gap, height: rows * (opts.cell + gap) - gap, cells, extent };
}
