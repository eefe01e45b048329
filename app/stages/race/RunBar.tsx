// Run / Stop, the progress bar and what the run did: the adapter, the copy ceiling it measured, the
// warm-up before each timed run, the repeats, the budget, and the downloads (JSON, PNG).

import { memo } from 'react';
import type { raceStage } from '../../../engine';
import { formatBytes, formatNumber, useTranslation } from '../../i18n';
import type { RaceState } from './hooks';
import type { RaceResult } from './runtime';

export const RunBar = memo(function RunBar({
  r,
  race,
  onRun,
  onStop,
  onJson,
  onPng,
}: {
  r: RaceResult;
  race: RaceState;
  onRun(): void;
  onStop(): void;
  onJson(): void;
  onPng(): void;
}) {
  const { t } = useTranslation('race');
  const busy = race.phase === 'running' || race.phase === 'stopping';
  const canRun = r.backend === 'webgpu' && r.plan.ids.length > 0;
  const plan = r.plan;
  const report = race.report;
  return (
    <div className="race-run section">
      <div className="race-buttons">
        <button
          type="button"
          data-testid="race-run"
          className="race-run-button"
          disabled={busy ? race.phase === 'stopping' : !canRun}
          onClick={busy ? onStop : onRun}
        >
          {busy ? t('run.stop') : t('run.start')}
        </button>
        <button type="button" data-testid="race-export" disabled={!report || busy} onClick={onJson}>
          {t('run.json')}
        </button>
        <button type="button" data-testid="race-export-png" onClick={onPng}>
          {t('run.png')}
        </button>
      </div>
      <label className="race-progress">
        <span>{t(`run.phase.${race.phase}`)}</span>
        <progress
          data-testid="race-progress"
          max={Math.max(1, race.total)}
          value={race.done}
          aria-valuenow={race.done}
          aria-valuemax={Math.max(1, race.total)}
        />
        <span className="race-count">
          {t('run.count', { done: formatNumber(race.done), total: formatNumber(race.total) })}
        </span>
      </label>
      {race.error && (
        <p className="race-error" role="alert" lang="en">
          {race.error}
        </p>
      )}
      <dl className="race-facts" data-testid="race-facts">
        <dt>{t('facts.adapter')}</dt>
        <dd>
          <span lang="en" data-testid="race-adapter">
            {r.adapterName ?? t('facts.none')}
          </span>
        </dd>
        <dt>{t('facts.copy')}</dt>
        <dd data-testid="race-copy">{report ? copyText(t, report) : t('facts.notYet')}</dd>
        <dt>{t('facts.warm')}</dt>
        <dd data-testid="race-warm">
          {plan.warmMs > 0
            ? t('facts.warmBurst', {
                ms: formatNumber(plan.warmMs),
                bytes: formatBytes(report?.method.warmBytes ?? 32 * 2 ** 20),
              })
            : t('facts.warmNone')}
        </dd>
        <dt>{t('facts.method')}</dt>
        <dd>
          {t('facts.reps', { reps: formatNumber(plan.reps), row: formatNumber(plan.rowBudgetMs) })}{' '}
          {plan.software
            ? t('facts.quick')
            : t('facts.budget', { s: formatNumber(plan.budgetS), max: formatNumber(plan.maxMs) })}
          {report &&
            !busy &&
            ` ${t('facts.elapsed', { s: formatNumber(report.elapsedS, { maximumFractionDigits: 1 }) })}`}
        </dd>
      </dl>
    </div>
  );
});

function copyText(t: (k: string, v?: Record<string, unknown>) => string, report: raceStage.Report): string {
  const c = report.copy;
  return t('facts.copyValue', {
    gbps: formatNumber(c.gbps, { maximumSignificantDigits: 4 }),
    bytes: formatBytes(c.start.bytes),
    items: c.start.shape.items,
    grid: t(`facts.grid.${c.start.shape.grid}`),
  });
}
