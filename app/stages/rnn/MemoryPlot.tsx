// The fading-memory plot: δ_t = ‖h'_t − h_t‖ of each series over the steps, on a log scale (zeros on a floor
// line of their own, steps not read back yet left out). Focusable: arrows move a cursor over (series,
// step), the readout says the value; a table of every value follows.

import { FigureSvg, Readout } from '../../components/Figure';
import { useSym } from '../../components/Sym';
import { useCellCursor } from '../../components/useCellCursor';
import { formatValue, ValueTable } from '../../components/ValueTable';
import { useTranslation } from '../../i18n';
import { decadeLabel, logPlot } from './layout';

export interface PlotSeries {
  key: string;
  /** Name in the legend, readout and table (already translated). */
  name: string;
  values: ArrayLike<number>;
  /** CSS class of its line and marks (rnn.css: colour and dash). */
  tone: string;
}

interface Props {
  series: readonly PlotSeries[];
  n: number;
  width: number;
  /** Step index (0-based) of the perturbed input. */
  at: number;
  label: string;
  stepName: (i: number) => string;
}

export function MemoryPlot({ series, n, width, at, label, stepName }: Props) {
  const { t } = useTranslation('common');
  const { t: tr } = useTranslation('rnn');
  const cursor = useCellCursor(series.length, n);
  const eps = useSym('eps');
  const p = logPlot(
    series.map((s) => s.values),
    n,
    { width, height: 200 },
  );
  const picked = cursor.cell;
  const value = picked ? series[picked.r].values[picked.c] : Number.NaN;
  const path = (v: ArrayLike<number>) => {
    let d = '';
    let pen = false;
    for (let i = 0; i < n; i++) {
      const y = p.y(v[i]);
      if (y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${p.x(i).toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  return (
    <div className="readable memory">
      <ul className="legend-list">
        {series.map((s) => (
          <li key={s.key}>
            <svg width="28" height="10" aria-hidden="true">
              <line x1="0" x2="28" y1="5" y2="5" className={`series ${s.tone}`} />
            </svg>{' '}
            {s.name}
          </li>
        ))}
      </ul>
      <FigureSvg
        width={p.width}
        height={p.height}
        label={label}
        testId="rnn-memory-plot"
        cursor={cursor}
        onPick={(x) => {
          let best = 0;
          for (let i = 1; i < n; i++) if (Math.abs(p.x(i) - x) < Math.abs(p.x(best) - x)) best = i;
          cursor.pick(cursor.cell?.r ?? 0, best);
        }}
      >
        {p.ticks.map((v) => (
          <g key={v}>
            <line x1={p.left} x2={p.width - 6} y1={p.y(v) ?? 0} y2={p.y(v) ?? 0} className="grid-line" />
            <text x={p.left - 4} y={p.y(v) ?? 0} dy="0.35em" textAnchor="end" className="tick">
              {decadeLabel(v)}
            </text>
          </g>
        ))}
        <line x1={p.left} x2={p.width - 6} y1={p.floorY} y2={p.floorY} className="zero" />
        <text x={p.left - 4} y={p.floorY} dy="0.35em" textAnchor="end" className="tick">
          0
        </text>
        <g {...eps.bind}>
          <line x1={p.x(at)} x2={p.x(at)} y1={4} y2={p.floorY} className="perturb-line" />
          <text x={p.x(at) + 4} y={12} className="tick">
            {tr('memory.at', { s: at + 1 })}
          </text>
        </g>
        {series.map((s) => (
          <g key={s.key} className={`series ${s.tone}`}>
            <path d={path(s.values)} fill="none" />
            {Array.from({ length: n }, (_, i) => {
              const y = p.y(s.values[i]);
              // biome-ignore lint/suspicious/noArrayIndexKey: a mark's identity is its step.
              return y === null ? null : <circle key={i} cx={p.x(i)} cy={y} r={2.5} />;
            })}
          </g>
        ))}
        {picked && p.y(value) !== null && (
          <circle className="cell-cursor" cx={p.x(picked.c)} cy={p.y(value) ?? 0} r={6} fill="none" />
        )}
      </FigureSvg>
      <Readout>
        {picked
          ? t('values.readout', {
              name: `${series[picked.r].name}, ${stepName(picked.c)}`,
              value: Number.isNaN(value) ? t('values.notYet') : formatValue(value),
            })
          : ''}
      </Readout>
      <p className="small">{tr('memory.scale')}</p>
      <ValueTable
        caption={label}
        values={Float64Array.from(
          { length: series.length * n },
          (_, i) => series[Math.floor(i / n)].values[i % n],
        )}
        rows={series.length}
        cols={n}
        rowName={(r) => series[r].name}
        colName={stepName}
        testId="rnn-memory-table"
      />
    </div>
  );
}
