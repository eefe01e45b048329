// A matrix as coloured cells (layout from diagrams/matrixGrid.ts). Values show in the cells when they fit;
// every value is readable by tap, click or keyboard (the grid is focusable; arrows move a cursor; the
// readout says the cell's name and value) and in the table alternative beneath.

import { layoutMatrixGrid } from '../diagrams/matrixGrid';
import { useTranslation } from '../i18n';
import { useApp } from '../store';
import { useCellCursor } from './useCellCursor';
import { formatValue, ValueTable } from './ValueTable';

export interface MatrixGridProps {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  cell: number;
  label: string;
  extent?: number;
  /** Cell names for the readout, e.g. (r, c) => `Ā[${r},${c}]`. */
  name?: (r: number, c: number) => string;
  testId?: string;
  /** Space between cells; by default 1px when cells are at least 10px. */
  gap?: number;
  /** Leave out the table alternative (when the stage shows the same numbers as text already). */
  noTable?: boolean;
}

export function MatrixGrid(props: MatrixGridProps) {
  const { values, rows, cols, cell, label, extent, name, testId, gap } = props;
  const { t } = useTranslation('common');
  const g = layoutMatrixGrid(values, rows, cols, { cell, extent, gap: gap ?? (cell >= 10 ? 1 : 0) });
  const cursor = useCellCursor(rows, cols);
  const playing = useApp((st) => st.playing);
  const showText = cell >= 30;
  const nameOf = (r: number, c: number) => (name ? name(r, c) : `[${r}, ${c}]`);
  const picked = cursor.cell;
  const pickedValue = picked ? values[picked.r * cols + picked.c] : Number.NaN;
  const step = cell + (gap ?? (cell >= 10 ? 1 : 0));
  return (
    <div className="readable">
      <svg
        className="grid"
        width={g.width}
        height={g.height}
        viewBox={`0 0 ${g.width} ${g.height}`}
        role="img"
        aria-label={label}
        data-testid={testId}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the grid is read cell by cell with the keyboard.
        tabIndex={0}
        onKeyDown={cursor.onKeyDown}
        onFocus={cursor.onFocus}
        onPointerDown={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const sx = g.width / Math.max(1, box.width);
          cursor.pick(
            Math.floor(((e.clientY - box.top) * sx) / step),
            Math.floor(((e.clientX - box.left) * sx) / step),
          );
        }}
      >
        {g.cells.map((c) => (
          <g key={`${c.r}-${c.c}`} transform={`translate(${c.x},${c.y})`}>
            <rect width={c.size} height={c.size} style={{ fill: c.fill }} rx={cell >= 10 ? 2 : 0} />
            {showText && (
              <text
                x={c.size / 2}
                y={c.size / 2}
                dy="0.35em"
                textAnchor="middle"
                style={{ fill: c.textFill }}
                className="cell-text"
              >
                {c.label}
              </text>
            )}
          </g>
        ))}
        {picked && (
          <rect
            className="cell-cursor"
            x={picked.c * step - 1}
            y={picked.r * step - 1}
            width={cell + 2}
            height={cell + 2}
          />
        )}
      </svg>
      <p
        className="readout"
        aria-live={playing ? 'off' : 'polite'}
        data-testid={testId ? `${testId}-readout` : undefined}
      >
        {picked
          ? t('values.readout', {
              name: nameOf(picked.r, picked.c),
              value: Number.isNaN(pickedValue) ? t('values.notYet') : formatValue(pickedValue),
            })
          : ''}
      </p>
      {!props.noTable && (
        <ValueTable
          caption={label}
          values={values}
          rows={rows}
          cols={cols}
          testId={testId ? `${testId}-table` : undefined}
        />
      )}
    </div>
  );
}
