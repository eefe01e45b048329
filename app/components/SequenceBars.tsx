// A sequence as bars around a zero line (layout from diagrams/sequence.ts), with an optional second
// series as dots (e.g. the batched result over the stepper's) and one highlighted step.

import { layoutSequence } from '../diagrams/sequence';
import { cellLabel } from '../diagrams/matrixGrid';

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
}: SequenceBarsProps) {
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
  return (
    <svg
      className={`seq seq-${tone}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
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
      </g>
    </svg>
  );
}
