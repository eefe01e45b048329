// The compared pairs of a run: each pair's speed-up at every L where both ran, where the faster one changes
// (numbered as on the time plot), and, where a paper makes a claim about the pair, the claim with the
// paper's conditions (GPU, precision, shapes) beside this run's (its adapter, f32, its shapes).

import { memo } from 'react';
import type { raceStage } from '../../../engine';
import { formatNumber, useTranslation } from '../../i18n';
import { claimKey } from './names';

export interface Numbered {
  c: raceStage.Comparison;
  at: raceStage.Crossover;
  n: number;
}

/** Crossovers numbered in the order of the comparisons, as the plot shows them. */
export function numberCrossovers(report: raceStage.Report): Numbered[] {
  let n = 0;
  return report.comparisons.flatMap((c) => c.crossovers.map((at) => ({ c, at, n: ++n })));
}

export const Crossovers = memo(function Crossovers({
  report,
  name,
  testId,
}: {
  report: raceStage.Report;
  name: (id: string) => string;
  testId: string;
}) {
  const { t, i18n } = useTranslation('race');
  const numbered = numberCrossovers(report);
  const shape = (id: string) => report.algorithms.find((a) => a.id === id)?.shape ?? '';
  if (report.comparisons.length === 0) return <p>{t('cross.none')}</p>;
  return (
    <ul className="race-pairs" data-testid={testId}>
      {report.comparisons.map((c) => {
        const key = claimKey(c.a, c.b);
        const claimed = c.claim !== null && i18n.exists(`race:claims.${key}.claim`);
        return (
          <li key={`${c.a}/${c.b}`} data-testid="race-pair">
            <b>{t('cross.pair', { a: name(c.a), b: name(c.b) })}</b>{' '}
            {c.speedups.length === 0
              ? t('cross.noCommon')
              : t('cross.speedups', {
                  list: c.speedups
                    .map(
                      (s) =>
                        `${formatNumber(s.L)}: ${formatNumber(s.speedup, { maximumSignificantDigits: 3 })}×`,
                    )
                    .join(', '),
                })}
            {numbered
              .filter((x) => x.c === c)
              .map((x) => (
                <span key={x.n} className="race-cross-note">
                  {' '}
                  {t('cross.at', {
                    n: formatNumber(x.n),
                    L: formatNumber(Math.round(x.at.L)),
                    faster: name(x.at.aFasterAbove ? c.a : c.b),
                  })}
                </span>
              ))}
            {claimed && (
              <p className="race-claim">
                {t('cross.claim', { claim: t(`claims.${key}.claim`) })}{' '}
                {t('cross.conditions', { paper: t(`claims.${key}.conditions`) })} {t('cross.here')}{' '}
                <span lang="en" className="race-shape">
                  {report.adapter.name}; f32; {shape(c.a)}; {shape(c.b)}
                </span>
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
});
