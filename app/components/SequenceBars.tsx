// A sequence as bars around a zero line (layout from diagrams/sequence.ts), with an optional second
// series as dots (e.g. the batched result over the stepper's) and one highlighted step. Every value is
// readable by tap, click or keyboard (focus the plot, arrows move a cursor) and in a table alternative.

import { cellLabel } from '../diagrams/matrixGrid';
import { layoutSequence } from '../diagrams/sequence';
import { useTranslation } from '../i18n';
import { useApp } from '../store';
import { useCellCursor } from './useCellCursor';
import { formatValue, ValueTable } from './ValueTable';

export interface SequenceBarsProps {
  values: ArrayLike<number>;
  width: number;
  height?: number;
  label: string;
  active?: number;
  knownUpTo?: number;
  domain?: [number, number];
  dots?: ArrayLike<number>;
  tone?: 'input' | 'output' | 'kernel' | 'state';
  testId?: string;
  /** The readout's name of element i, e.g. i => `y_${i + 1}`. */
  name?: (i: number) => string;
}

const GUTTER = 44;

export function SequenceBars({
  values,
  width,
  height = 90,
  label,
  active = -1,
  knownUpTo,
  domain,
  dots,
  tone = 'input',
  testId,
  name,
}: SequenceBarsProps) {
  const { t } = useTranslation('common');
  const cursor = useCellCursor(1, values.length);
  const playing = useApp((st) => st.playing);
  const plotW = Math.max(60, width - GUTTER);
  const s = layoutSequence(values, {
    width: plotW,
    height,
    active,
    knownUpTo,
    domain,
    padTop: 6,
    padBottom: 6,
  });
  const picked = cursor.cell?.c ?? null;
  const nameOf = (i: number) => (name ? name(i) : `[${i}]`);
  const known = (i: number) => knownUpTo === undefined || i < knownUpTo;
  return (
    <div className="readable">
      <svg
        className={`seq seq-${tone}`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        data-testid={testId}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the sequence is read element by element by keyboard.
        tabIndex={0}
        onKeyDown={cursor.onKeyDown}
        onFocus={cursor.onFocus}
        onPointerDown={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const x = ((e.clientX - box.left) * width) / Math.max(1, box.width) - GUTTER;
          const i = s.bars.findIndex((b) => x < b.x + b.w + 0.5);
          cursor.pick(0, i < 0 ? values.length - 1 : i);
        }}
      >
        <text x={GUTTER - 6} y={s.y(s.domain[1])} dy="0.7em" textAnchor="end" className="tick">
          {cellLabel(s.domain[1])}
        </text>
        <text x={GUTTER - 6} y={s.y(s.domain[0])} textAnchor="end" className="tick">
          {cellLabel(s.domain[0])}
        </text>
        <g transform={`translate(${GUTTER},0)`}>
          <line x1={0} x2={plotW} y1={s.zeroY} y2={s.zeroY} className="zero" />
          {s.bars.map((b) =>
            b.known && Number.isFinite(b.value) ? (
              <rect
                key={b.i}
                x={b.x}
                y={b.y}
                width={b.w}
                height={b.h}
                className={b.active ? 'bar active' : 'bar'}
              />
            ) : null,
          )}
          {dots &&
            Array.from({ length: dots.length }, (_, i) =>
              Number.isFinite(dots[i]) ? (
                <circle
                  // biome-ignore lint/suspicious/noArrayIndexKey: a dot's identity is its position in the sequence.
                  key={i}
                  cx={s.cx(i)}
                  cy={s.y(dots[i])}
                  r={Math.min(3, Math.max(1.5, s.bars[0]?.w / 3))}
                  className="dot"
                />
              ) : null,
            )}
          {active >= 0 && active < values.length && (
            <rect
              x={s.bars[active].x - 1}
              y={0}
              width={s.bars[active].w + 2}
              height={height}
              className="cursor"
            />
          )}
          {picked !== null && s.bars[picked] && (
            <rect
              x={s.bars[picked].x - 2}
              y={0}
              width={s.bars[picked].w + 4}
              height={height}
              className="cell-cursor"
            />
          )}
        </g>
      </svg>
      <p className="readout" aria-live={playing ? 'off' : 'polite'}>
        {picked !== null
          ? t('values.readout', {
              name: nameOf(picked),
              value:
                known(picked) && Number.isFinite(values[picked])
                  ? formatValue(values[picked])
                  : t('values.notYet'),
            })
          : ''}
      </p>
      <ValueTable
        caption={label}
        values={Array.from({ length: values.length }, (_, i) => (known(i) ? values[i] : Number.NaN))}
        rows={1}
        cols={values.length}
        rowName={() => ''}
        colName={(c) => nameOf(c)}
      />
    </div>
  );
}
