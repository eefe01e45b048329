// Bytes per model against the generated token t, from the engine's read-back figures: one line per model,
// end labels naming the models (never colour alone), a cursor readable by keyboard (arrows move along t
// and between models) and by tap (nearest line), a readout, and the numbers as a table alternative.

import { FigureSvg, Readout, YGrid } from '../../components/Figure';
import { useSym } from '../../components/Sym';
import { useCellCursor } from '../../components/useCellCursor';
import { useWidth } from '../../components/useWidth';
import { ValueTable } from '../../components/ValueTable';
import { formatBytes, useTranslation } from '../../i18n';
import { MODELS, type ModelId } from './figures';
import { layoutGrowth } from './growthLayout';

const HEIGHT = 190;

/** The attention line is the KV cache (symbol kv), linear attention's its matrix S, the others a state h. */
const symOf = (m: ModelId) => (m === 'attention' ? 'kv' : m === 'linear' ? 'S' : 'h');

export function GrowthChart({
  series,
  caption,
  testId,
}: {
  series: number[][];
  caption: string;
  testId: string;
}) {
  const { t } = useTranslation('intro');
  const [ref, width] = useWidth<HTMLDivElement>();
  const L = series[0]?.length ?? 1;
  const cursor = useCellCursor(MODELS.length, L);
  const syms = { kv: useSym('kv'), S: useSym('S'), h: useSym('h') };
  const labelWidth = Math.min(150, Math.max(96, width * 0.34));
  const g = layoutGrowth(series, { width, height: HEIGHT, labelWidth });
  const name = (m: ModelId) => t(`models.${m}.short`);
  const picked = cursor.cell;
  const bindOf = (m: ModelId) => syms[symOf(m)];
  return (
    <div className="readable growth" ref={ref}>
      <FigureSvg
        width={width}
        height={HEIGHT}
        label={caption}
        testId={testId}
        cursor={cursor}
        onPick={(px, py) => {
          const col = Math.round(g.x.invert(px)) - 1;
          const c = Math.min(L - 1, Math.max(0, col));
          let best = 0;
          series.forEach((s, i) => {
            if (Math.abs(g.y(s[c]) - py) < Math.abs(g.y(series[best][c]) - py)) best = i;
          });
          cursor.pick(best, c);
        }}
      >
        <YGrid
          ticks={g.yTicks.map((tk) => ({ key: tk.value, y: tk.y, label: formatBytes(tk.value) }))}
          left={g.plot.left}
          right={g.plot.right}
        />
        {g.xTicks.map((tk) => (
          <text key={tk.t} x={tk.x} y={HEIGHT - 6} textAnchor="middle" className="tick">
            {t('chart.tick', { t: tk.t })}
          </text>
        ))}
        {MODELS.map((m, i) => {
          const b = bindOf(m).bind;
          return (
            <path
              key={m}
              {...b}
              d={g.paths[i]}
              className={`growth-line line-${m} ${b.className}${picked?.r === i ? ' picked' : ''}`}
            />
          );
        })}
        {g.labels.map((l) => {
          const first = MODELS[l.series[0]];
          const b = bindOf(first).bind;
          return (
            <text
              key={l.series.join()}
              x={g.plot.right + 6}
              y={l.y}
              {...b}
              className={`growth-label label-${first} ${b.className}`}
            >
              {l.series.map((i, j) => (
                <tspan key={MODELS[i]} x={g.plot.right + 6} dy={j === 0 ? '0.32em' : '14px'}>
                  {name(MODELS[i])}
                </tspan>
              ))}
            </text>
          );
        })}
        {picked && (
          <g className="cell-cursor">
            <line x1={g.x(picked.c + 1)} x2={g.x(picked.c + 1)} y1={g.plot.top} y2={g.plot.bottom} />
            <circle cx={g.x(picked.c + 1)} cy={g.y(series[picked.r][picked.c])} r={4} />
          </g>
        )}
      </FigureSvg>
      <Readout>
        {picked
          ? t('chart.readout', {
              model: name(MODELS[picked.r]),
              t: picked.c + 1,
              value: formatBytes(series[picked.r][picked.c]),
            })
          : t('chart.hint')}
      </Readout>
      <ValueTable
        caption={caption}
        values={Array.from(
          { length: L * MODELS.length },
          (_, i) => series[i % MODELS.length][Math.floor(i / MODELS.length)],
        )}
        rows={L}
        cols={MODELS.length}
        rowName={(r) => t('chart.tick', { t: r + 1 })}
        colName={(c) => name(MODELS[c])}
      />
    </div>
  );
}
