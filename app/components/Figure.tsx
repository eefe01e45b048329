// The pieces every readable figure shares, so a stage's own SVG reads values the way MatrixGrid and
// SequenceBars do: FigureSvg (a labelled role=img SVG; given a cell cursor it is focusable, arrows/Home/End
// move the cursor and a tap picks the value under the pointer), Readout (the picked value in words, quiet
// while playing), CellCursorRect (the outline of the picked cell of a grid) and ArrowMarker (an arrowhead).

import type { FocusEvent, PointerEvent, ReactNode, SVGAttributes } from 'react';
import { useApp } from '../store';
import type { CellCursor } from './useCellCursor';

export interface FigureSvgProps
  extends Omit<SVGAttributes<SVGSVGElement>, 'width' | 'height' | 'onFocus' | 'children' | 'cursor'> {
  width: number;
  height: number;
  /** The figure's name for assistive technology (role img). */
  label: string;
  testId?: string;
  /** Makes the figure readable value by value (focus, arrows, Home/End, tap). */
  cursor?: CellCursor;
  /**
   * The point tapped, in viewBox units. Figures keep their aspect ratio (height: auto), so one scale
   * serves both axes.
   */
  onPick?(x: number, y: number): void;
  onFocus?(e: FocusEvent<SVGSVGElement>): void;
  children: ReactNode;
}

/** Where a pointer event falls on a figure drawn `width` units wide, in its own units (x, y). */
export function figurePoint(e: PointerEvent<Element>, width: number): [number, number] {
  const box = e.currentTarget.getBoundingClientRect();
  const s = width / Math.max(1, box.width);
  return [(e.clientX - box.left) * s, (e.clientY - box.top) * s];
}

export function FigureSvg({
  width,
  height,
  label,
  testId,
  cursor,
  onPick,
  onFocus,
  children,
  ...rest
}: FigureSvgProps) {
  return (
    <svg
      {...rest}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
      // A readable figure is read value by value by keyboard, so it takes focus.
      tabIndex={cursor ? 0 : undefined}
      onKeyDown={cursor?.onKeyDown}
      onFocus={
        cursor || onFocus
          ? (e) => {
              cursor?.onFocus();
              onFocus?.(e);
            }
          : undefined
      }
      onPointerDown={
        onPick
          ? (e) => {
              const [x, y] = figurePoint(e, width);
              onPick(x, y);
            }
          : undefined
      }
    >
      {children}
    </svg>
  );
}

/** The picked value in words beside its figure; polite, except while playing (the Narrator speaks then). */
export function Readout({ testId, children }: { testId?: string; children: ReactNode }) {
  const playing = useApp((st) => st.playing);
  return (
    <p className="readout" aria-live={playing ? 'off' : 'polite'} data-testid={testId}>
      {children}
    </p>
  );
}

/** The outline of the picked cell of a grid whose cells are `cell` wide, `step` apart. */
export function CellCursorRect({
  at,
  step,
  cell,
}: {
  at: { r: number; c: number } | null;
  step: number;
  cell: number;
}) {
  if (!at) return null;
  return (
    <rect
      className="cell-cursor"
      x={at.c * step - 1}
      y={at.r * step - 1}
      width={cell + 2}
      height={cell + 2}
    />
  );
}

/**
 * An arrowhead for `markerEnd="url(#id)"` (inside <defs>), `size` stroke widths long, its tip on the line's
 * end; styled by the class arrowhead.
 */
export function ArrowMarker({ id, size }: { id: string; size: number }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerWidth={size}
      markerHeight={size}
      orient="auto"
    >
      <path d="M0,0L10,5L0,10z" className="arrowhead" />
    </marker>
  );
}

/** Horizontal grid lines across the plot, each with its tick label at the plot's left edge. */
export function YGrid({
  ticks,
  left,
  right,
}: {
  ticks: ReadonlyArray<{ key: string | number; y: number; label: ReactNode }>;
  left: number;
  right: number;
}) {
  return ticks.map((tk) => (
    <g key={tk.key}>
      <line x1={left} x2={right} y1={tk.y} y2={tk.y} className="grid-line" />
      <text x={left - 6} y={tk.y} dy="0.32em" textAnchor="end" className="tick">
        {tk.label}
      </text>
    </g>
  ));
}
