// A matrix as coloured cells (layout from diagrams/matrixGrid.ts). Values show in the cells when they fit,
// and in each cell's tooltip always.

import { layoutMatrixGrid } from '../diagrams/matrixGrid';

export interface MatrixGridProps {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  cell: number;
  label: string;
  extent?: number;
  /** Row/column names for tooltips, e.g. (r, c) => `Ā[${r},${c}]`. */
  name?: (r: number, c: number) => string;
  testId?: string;
  /** Space between cells; by default 1px when cells are at least 10px. */
  gap?: number;
}

export function MatrixGrid({ values, rows, cols, cell, label, extent, name, testId, gap }: MatrixGridProps) {
  const g = layoutMatrixGrid(values, rows, cols, { cell, extent, gap: gap ?? (cell >= 10 ? 1 : 0) });
  const showText = cell >= 30;
  return (
    <svg
      className="grid"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
    >
      {g.cells.map((c) => (
        <g key={`${c.r}-${c.c}`} transform={`translate(${c.x},${c.y})`}>
          <rect width={c.size} height={c.size} fill={c.fill} rx={cell >= 10 ? 2 : 0}>
            <title>{`${name ? name(c.r, c.c) : `[${c.r}, ${c.c}]`} = ${Number.isNaN(c.value) ? 'not computed yet' : c.value}`}</title>
          </rect>
          {showText && (
            <text
              x={c.size / 2}
              y={c.size / 2}
              dy="0.35em"
              textAnchor="middle"
              fill={c.textFill}
              className="cell-text"
            >
              {c.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
