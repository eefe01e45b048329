// A square attention map (rows = queries, columns = keys) as coloured cells: the scores S on a diverging
// scale, the probabilities P as the accent colour's opacity; masked cells are hatched (never colour alone)
// and read "masked". Every value is readable by focus and arrows, by tap, and in the table alternative.

import { CellCursorRect, FigureSvg, Readout } from '../../components/Figure';
import type { SymBinding } from '../../components/Sym';
import { ValueTable, formatValue } from '../../components/ValueTable';
import { useCellCursor } from '../../components/useCellCursor';
import { layoutMatrixGrid } from '../../diagrams/matrixGrid';
import { useTranslation } from '../../i18n';

export interface HeatGridProps {
  values: ArrayLike<number>; // (n, n), −∞ where masked (S) or 0 (P)
  n: number;
  cell: number;
  kind: 'scores' | 'probs';
  label: string;
  /** The readout's name of cell (i, j), 0-based. */
  name: (i: number, j: number) => string;
  masked: (i: number, j: number) => boolean;
  /** Row to outline (the decode step's query), or −1. */
  row?: number;
  testId?: string;
  /** The symbol link (useSym) of the matrix drawn. */
  sym?: SymBinding;
}

export const HEAT_GUTTER = 22;

export function HeatGrid({
  values,
  n,
  cell,
  kind,
  label,
  name,
  masked,
  row = -1,
  testId,
  sym,
}: HeatGridProps) {
  const { t } = useTranslation('attention');
  const cursor = useCellCursor(n, n);
  const gap = cell >= 10 ? 1 : 0;
  const step = cell + gap;
  const grid = layoutMatrixGrid(values, n, n, { cell, gap });
  const size = n * step - gap;
  const W = HEAT_GUTTER + size;
  const picked = cursor.cell;
  const valueText = (i: number, j: number) =>
    masked(i, j) ? t('maps.masked') : formatValue(values[i * n + j]);
  // Every position where the labels fit, else every 2nd or 4th (and the first).
  const every = cell >= 16 ? 1 : cell >= 9 ? 2 : 4;
  const ticks = Array.from({ length: n }, (_, i) => i).filter((i) => i === 0 || (i + 1) % every === 0);
  return (
    <div className="readable">
      <FigureSvg
        className={`heat heat-${kind} ${sym?.className ?? ''}`}
        data-sym={sym?.['data-sym']}
        onMouseEnter={sym?.onMouseEnter}
        onMouseLeave={sym?.onMouseLeave}
        onBlur={sym?.onBlur}
        width={W}
        height={W}
        label={label}
        testId={testId}
        cursor={cursor}
        onFocus={sym?.onFocus}
        onPick={(x, y) => {
          const at = (v: number) => Math.floor((v - HEAT_GUTTER) / step);
          cursor.pick(at(y), at(x));
        }}
      >
        <defs>
          <pattern id={`hatch-${testId}`} width="6" height="6" patternUnits="userSpaceOnUse">
            <path d="M0 6L6 0" className="hatch" />
          </pattern>
        </defs>
        {ticks.map((i) => (
          <g key={i} className="tick">
            <text x={HEAT_GUTTER + i * step + cell / 2} y={HEAT_GUTTER - 6} textAnchor="middle">
              {i + 1}
            </text>
            <text x={HEAT_GUTTER - 4} y={HEAT_GUTTER + i * step + cell / 2} dy="0.35em" textAnchor="end">
              {i + 1}
            </text>
          </g>
        ))}
        <g transform={`translate(${HEAT_GUTTER},${HEAT_GUTTER})`}>
          {grid.cells.map((c) => {
            const off = masked(c.r, c.c);
            const fill = off ? `url(#hatch-${testId})` : kind === 'scores' ? c.fill : 'var(--accent)';
            return (
              <rect
                key={`${c.r}-${c.c}`}
                x={c.x}
                y={c.y}
                width={c.size}
                height={c.size}
                className={off ? 'masked' : undefined}
                style={{ fill, fillOpacity: kind === 'probs' && !off ? Math.max(0.04, c.value) : 1 }}
              />
            );
          })}
          {row >= 0 && row < n && (
            <rect className="cursor" x={-1} y={row * step - 1} width={size + 2} height={cell + 2} />
          )}
          <CellCursorRect at={picked} step={step} cell={cell} />
        </g>
      </FigureSvg>
      <Readout testId={testId ? `${testId}-readout` : undefined}>
        {picked
          ? t('maps.readout', { name: name(picked.r, picked.c), value: valueText(picked.r, picked.c) })
          : ''}
      </Readout>
      <ValueTable
        caption={label}
        values={values}
        rows={n}
        cols={n}
        rowName={(i) => String(i + 1)}
        colName={(j) => String(j + 1)}
      />
    </div>
  );
}
