// One log-log plot of the race: the reader's series (solid) and the reference run's (thin, dashed), each
// algorithm in its colour and dash with its points, the crossovers numbered on the time plot, labelled
// axes, and a legend that names every line (never colour alone). The table of rows is its alternative.

import { memo } from 'react';
import { FigureSvg, YGrid } from '../../components/Figure';
import { useWidth } from '../../components/useWidth';
import { formatBytes, formatNumber, useTranslation } from '../../i18n';
import { layoutPlot, type Metric, type Series } from './layout';
import { seriesClass } from './names';

export interface PlotMark {
  n: number;
  L: number;
  ms: number;
}

const HEIGHT = 300;

export const Plot = memo(function Plot({
  metric,
  series,
  order,
  name,
  marks = [],
  label,
  testId,
}: {
  metric: Metric;
  series: Series[];
  /** Every algorithm id in the suite's order: an algorithm keeps its colour in every plot. */
  order: readonly string[];
  name: (id: string) => string;
  marks?: PlotMark[];
  label: string;
  testId: string;
}) {
  const { t } = useTranslation('race');
  const [ref, width] = useWidth<HTMLDivElement>();
  const bytes = metric === 'bytesAllocated';
  const g = layoutPlot(series, { width, height: HEIGHT, binary: bytes, left: bytes ? 76 : 58 });
  const yText = (v: number) => (bytes ? formatBytes(v) : formatNumber(v, { maximumSignificantDigits: 2 }));
  const ids = [...new Set(series.map((s) => s.id))];
  const cls = (id: string) => seriesClass(Math.max(0, order.indexOf(id)));
  return (
    <div className="race-plot" ref={ref}>
      <FigureSvg width={width} height={HEIGHT} label={label} testId={testId}>
        <rect className="race-plot-bg" x={0} y={0} width={width} height={HEIGHT} />
        <YGrid
          ticks={g.yTicks.map((tk) => ({ key: tk.v, y: tk.y, label: yText(tk.v) }))}
          left={g.plot.left}
          right={g.plot.right}
        />
        {g.xTicks
          .filter((tk) => tk.label)
          .map((tk) => (
            <text key={tk.L} x={tk.x} y={g.plot.bottom + 16} textAnchor="middle" className="tick">
              {formatNumber(tk.L)}
            </text>
          ))}
        <text x={(g.plot.left + g.plot.right) / 2} y={HEIGHT - 4} textAnchor="middle" className="axis-label">
          {t('plot.x')}
        </text>
        <text
          transform={`translate(12 ${(g.plot.top + g.plot.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="axis-label"
        >
          {t(`plot.y.${metric}`)}
        </text>
        {g.paths.map(({ series: s, d, dots }) => (
          <g
            key={`${s.reference ? 'ref' : 'own'}-${s.id}`}
            className={`race-series ${cls(s.id)}${s.reference ? ' race-ref' : ''}`}
            data-algorithm={s.id}
            data-reference={s.reference}
          >
            <path d={d} className="race-line" />
            {dots.map((p) => (
              <circle key={p.p.L} cx={p.x} cy={p.y} r={s.reference ? 2 : 3} className="race-dot" />
            ))}
          </g>
        ))}
        {marks.map((m) => (
          <g key={m.n} className="race-cross" data-testid="race-crossover">
            <circle cx={g.x(m.L)} cy={g.y(m.ms)} r={7} />
            <text x={g.x(m.L) + 9} y={g.y(m.ms) - 8} className="race-cross-n">
              {formatNumber(m.n)}
            </text>
          </g>
        ))}
      </FigureSvg>
      <ul className="race-legend" aria-label={t('plot.legend')}>
        {ids.map((id) => (
          <li key={id}>
            <svg width={28} height={10} aria-hidden="true" className={`race-series ${cls(id)}`}>
              <line x1={0} x2={28} y1={5} y2={5} className="race-line" />
            </svg>
            {name(id)}
          </li>
        ))}
        {series.some((s) => s.reference) && (
          <li>
            <svg width={28} height={10} aria-hidden="true" className="race-series race-ref race-ref-key">
              <line x1={0} x2={28} y1={5} y2={5} className="race-line" />
            </svg>
            {t('plot.referenceKey')}
          </li>
        )}
      </ul>
    </div>
  );
});
