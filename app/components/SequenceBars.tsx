// A sequence as bars around a zero line (layout from diagrams/sequence.ts), with an optional second
// series as dots (e.g. the batched result over the stepper's) and one highlighted step. Every value is
// readable by tap, click or keyboard (focus the plot, arrows move a cursor) and in a table alternative.

import { cellLabel } from '../diagrams/matrixGrid';
import { layoutSequence } from '../diagrams/sequence';
import { useTranslation } from '../i18n';
import { FigureSvg, Readout } from './Figure';
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
  /** A full-height box around bar i, `pad` wider on each side. */
  const outline = (i: number, pad: number, className: string) => (
    <rect x={s.bars[i].x - pad} y={0} width={s.bars[i].w + 2 * pad} height={height} className={className} />
  );
  return (
    <div className="readable">
      <FigureSvg
        className={`seq seq-${tone}`}
        width={width}
        height={height}
        label={label}
        testId={testId}
        cursor={cursor}
        onPick={(x) => {
          const i = s.bars.findIndex((b) => x - GUTTER < b.x + b.w + 0.5);
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
          {active >= 0 && active < values.length && outline(active, 1, 'cursor')}
          {picked !== null && s.bars[picked] && outline(picked, 2, 'cell-cursor')}
        </g>
      </FigureSvg>
      <Readout>
        {picked !== null
          ? t('values.readout', {
              name: nameOf(picked),
              value:
                known(picked) && Number.isFinite(values[picked])
                  ? formatValue(values[picked])
                  : t('values.notYet'),
            })
          : ''}
      </Readout>
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
