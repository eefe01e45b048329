// A matrix as coloured cells (layout from diagrams/matrixGrid.ts). Values show in the cells when they fit;
// every value is readable by tap, click or keyboard (the grid is focusable; arrows move a cursor; the
// readout says the cell's name and value) and in the table alternative beneath. Past CANVAS_CELLS (256) cells it
// draws on a canvas (thousands of SVG nodes would block the main thread on every step).

import { useEffect, useMemo, useRef } from 'react';
import { type GridLayout, layoutMatrixGrid } from '../diagrams/matrixGrid';
import { useTranslation } from '../i18n';
import { CellCursorRect, FigureSvg, figurePoint, Readout } from './Figure';
import { type CellCursor, useCellCursor } from './useCellCursor';
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

export const CANVAS_CELLS = 256;

// Theme colours for the canvas, read once per theme: reading a custom property forces a style recalc of
// the whole page, which on every paint was the CPU backend's longest main-thread task.
const themeColors = new Map<string, string>();
let watching = false;
function themeColor(name: string): string {
  if (!watching && typeof MutationObserver !== 'undefined') {
    watching = true;
    const clear = () => themeColors.clear();
    new MutationObserver(clear).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', clear);
    window.matchMedia?.('print').addEventListener?.('change', clear);
  }
  let v = themeColors.get(name);
  if (v === undefined) {
    v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || 'gray';
    themeColors.set(name, v);
  }
  return v;
}

/** Paints the cells (and the cursor) on a canvas at the device's pixel ratio. */
function paint(
  canvas: HTMLCanvasElement,
  g: GridLayout,
  cursor: { r: number; c: number } | null,
  step: number,
) {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const resolve = (fill: string) => (fill.startsWith('var(') ? themeColor(fill.slice(4, -1)) : fill);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, g.width, g.height);
  for (const c of g.cells) {
    ctx.fillStyle = resolve(c.fill);
    ctx.fillRect(c.x, c.y, c.size, c.size);
  }
  if (cursor) {
    ctx.strokeStyle = themeColor('--highlight');
    ctx.lineWidth = 2;
    const size = g.cells[0]?.size ?? step;
    ctx.strokeRect(cursor.c * step - 1, cursor.r * step - 1, size + 2, size + 2);
  }
}

/** The grid on a canvas, read with the same cursor as the SVG grid (FigureSvg). */
function CanvasGrid(props: {
  g: GridLayout;
  label: string;
  testId?: string;
  cursor: CellCursor;
  step: number;
  onPick(x: number, y: number): void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { g, cursor, step } = props;
  const at = cursor.cell;
  useEffect(() => {
    if (ref.current) paint(ref.current, g, at, step);
  }, [g, at, step]);
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  return (
    <canvas
      ref={ref}
      className="grid"
      width={Math.ceil(g.width * dpr)}
      height={Math.ceil(g.height * dpr)}
      style={{ width: g.width, height: g.height }}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      tabIndex={0}
      onKeyDown={cursor.onKeyDown}
      onFocus={cursor.onFocus}
      onPointerDown={(e) => props.onPick(...figurePoint(e, g.width))}
    />
  );
}

export function MatrixGrid(props: MatrixGridProps) {
  const { values, rows, cols, cell, label, extent, name, testId, gap } = props;
  const { t } = useTranslation('common');
  // The layout only changes with the data and sizes, so a canvas grid repaints only then.
  const g = useMemo(
    () => layoutMatrixGrid(values, rows, cols, { cell, extent, gap: gap ?? (cell >= 10 ? 1 : 0) }),
    [values, rows, cols, cell, extent, gap],
  );
  const cursor = useCellCursor(rows, cols);
  const showText = cell >= 30;
  const nameOf = (r: number, c: number) => (name ? name(r, c) : `[${r}, ${c}]`);
  const picked = cursor.cell;
  const pickedValue = picked ? values[picked.r * cols + picked.c] : Number.NaN;
  const step = cell + (gap ?? (cell >= 10 ? 1 : 0));
  const pickAt = (x: number, y: number) => cursor.pick(Math.floor(y / step), Math.floor(x / step));
  const canvas = rows * cols > CANVAS_CELLS;
  return (
    <div className="readable">
      {canvas ? (
        <CanvasGrid g={g} label={label} testId={testId} cursor={cursor} step={step} onPick={pickAt} />
      ) : (
        <FigureSvg
          className="grid"
          width={g.width}
          height={g.height}
          label={label}
          testId={testId}
          cursor={cursor}
          onPick={pickAt}
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
          <CellCursorRect at={picked} step={step} cell={cell} />
        </FigureSvg>
      )}
      <Readout testId={testId ? `${testId}-readout` : undefined}>
        {picked
          ? t('values.readout', {
              name: nameOf(picked.r, picked.c),
              value: Number.isNaN(pickedValue) ? t('values.notYet') : formatValue(pickedValue),
            })
          : ''}
      </Readout>
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
