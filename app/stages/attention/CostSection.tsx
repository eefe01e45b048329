// Section 6: the cost of one decode step at longer caches, measured on the reader's device by the engine
// (the same kernels as the decode steps above, q against N cached keys): per-token cost grows with N, so
// decoding N tokens costs about N²/2 of them. The clock is named as it was measured.

import { TitledSection } from '../../components/parts';
import { ScrollRegion } from '../../components/ScrollRegion';
import { ValueTable } from '../../components/ValueTable';
import { Tex } from '../../components/Tex';
import { formatBytes, formatNumber, useTranslation } from '../../i18n';
import { Plot } from './Plot';
import type { AttentionResult } from './runtime';
import { attentionTex } from './tex';

export function CostSection({ r, width }: { r: AttentionResult; width: number }) {
  const { t } = useTranslation('attention');
  const pts = r.cost;
  const maxN = Math.max(...pts.map((p) => p.N));
  const maxMs = Math.max(1e-9, ...pts.map((p) => p.ms));
  const fmt = (v: number) => formatNumber(v, { maximumSignificantDigits: 3 });
  const first = pts[0];
  const last = pts[pts.length - 1];
  const clock = last?.clock ?? 'cpu-wall';
  return (
    <TitledSection headingId="sec-cost" title={t('cost.title')}>
      <ScrollRegion label={t('cost.math')}>
        <Tex tex={attentionTex.cost} display />
      </ScrollRegion>
      <p>{t('cost.intro', { h: r.params.h, hk: r.params.hk, d: r.params.d })}</p>
      <Plot
        width={width}
        xMax={maxN}
        yMax={maxMs}
        line={pts.map((p) => [p.N, p.ms] as const)}
        points={pts.map((p) => [p.N, p.ms] as const)}
        xTicks={pts.map((p) => ({ x: p.N, label: p.N >= 1024 ? `${p.N / 1024}k` : String(p.N) }))}
        xName="N"
        yTop={t('cost.ms', { v: fmt(maxMs) })}
        label={t('cost.label', { n: pts.length })}
        testId="cost-chart"
      />
      <p className="small">{t(`decode.clock.${clock}`)}</p>
      {first && last && (
        <p data-testid="cost-ratio">
          {t('cost.ratio', {
            keys: last.N / first.N,
            ratio: fmt(last.ms / first.ms),
            N0: first.N,
            N1: last.N,
          })}
        </p>
      )}
      <ValueTable
        caption={t('cost.table')}
        values={pts.flatMap((p) => [p.ms, p.cacheBytes, p.macs])}
        rows={pts.length}
        cols={3}
        rowName={(i) => `N = ${pts[i].N}`}
        colName={(c) => [t('cost.colMs'), t('cost.colBytes'), t('cost.colMacs')][c]}
      />
      <p className="small">{t('cost.note', { bytes: last ? formatBytes(last.cacheBytes) : '' })}</p>
    </TitledSection>
  );
}
