// The race's interactive part: the setup, Run/Stop with the progress bar and what the run did, the two
// log-log plots (time and bytes allocated against L) filling in row by row beside the H200 reference
// curves, the compared pairs with their crossovers and the papers' claims, and the table of rows. Without
// WebGPU: a notice that timings need it, and the reference run alone.

import '../../styles/race.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { raceStage } from '../../../engine';
import { Trans, useTranslation } from '../../i18n';
import { Crossovers, numberCrossovers } from './Crossovers';
import { downloadJson, downloadPng } from './exportFiles';
import { useRace, useRaceResult } from './hooks';
import { type Metric, seriesOf } from './layout';
import { algorithmName } from './names';
import { Plot } from './Plot';
import { RowsTable } from './RowsTable';
import { RunBar } from './RunBar';
import { Setup } from './Setup';

/** The H200 reference, loaded once (a lazy chunk of the site, never the network). */
function useReference(): raceStage.Report | null {
  const [ref, setRef] = useState<raceStage.Report | null>(null);
  useEffect(() => {
    let live = true;
    void raceStage.referenceReport().then((r) => {
      if (live) setRef(r);
    });
    return () => {
      live = false;
    };
  }, []);
  return ref;
}

export function RaceDiagram() {
  const { t } = useTranslation('race');
  const r = useRaceResult();
  const { state, start, stop } = useRace(r?.backend === 'webgpu' ? r.plan : null);
  const reference = useReference();
  const [showRef, setShowRef] = useState(true);
  const timeFigure = useRef<HTMLDivElement>(null);
  const sizes = r?.plan.sizes;
  // Each name translated once per language and sizes, then looked up (t() per table cell per row was most
  // of a row's render).
  const name = useMemo(() => {
    const known = new Map<string, string>();
    return (id: string) => {
      let n = known.get(id);
      if (n === undefined) {
        n = sizes ? algorithmName(t, id, sizes) : id;
        known.set(id, n);
      }
      return n;
    };
  }, [t, sizes]);
  const own = state.report;
  const ids = r?.plan.ids;
  const order = useMemo(() => r?.algorithms.map((a) => a.id) ?? [], [r?.algorithms]);
  const refShown = showRef && reference !== null;
  // Recomputed only when a row lands or the choice changes (every render of the plots costs the page).
  const refOnly = useMemo(() => (reference && ids ? onlyPairs(reference, ids) : null), [reference, ids]);
  const plots = useMemo(() => {
    const series = (m: Metric) => [
      ...(refShown && refOnly ? seriesOf(refOnly, m, true) : []),
      ...(own ? seriesOf(own, m, false) : []),
    ];
    // The crossovers numbered on the time plot: the reader's run, else the reference's chosen pairs.
    const pairs = own ?? (refShown ? refOnly : null);
    const marks = pairs ? numberCrossovers(pairs).map((x) => ({ n: x.n, L: x.at.L, ms: x.at.ms })) : [];
    return { ms: series('ms'), bytes: series('bytesAllocated'), pairs, marks };
  }, [own, refOnly, refShown]);
  const onRun = useCallback(() => void start(), [start]);
  const onJson = useCallback(() => own && downloadJson(own), [own]);
  const onPng = useCallback(() => timeFigure.current && void downloadPng(timeFigure.current, own), [own]);
  if (!r) return null;
  const shownPairs = plots.pairs;
  const busy = state.phase === 'running' || state.phase === 'stopping';
  return (
    <div className="race">
      {r.backend === 'cpu' && (
        <p className="race-notice" role="note" data-testid="race-no-webgpu">
          {t('cpu.notice')}
        </p>
      )}
      <Setup r={r} disabled={busy} name={name} />
      <RunBar r={r} race={state} onRun={onRun} onStop={stop} onJson={onJson} onPng={onPng} />
      <label className="race-ref-toggle">
        <input type="checkbox" checked={showRef} onChange={(e) => setShowRef(e.currentTarget.checked)} />{' '}
        {t('plot.reference')}
      </label>
      {refShown && (
        <p className="race-note">
          <Trans t={t} i18nKey="plot.referenceNote" components={{ code: <code /> }} />{' '}
          <span lang="en">{reference.adapter.name}</span>
        </p>
      )}
      <div className="race-plots">
        {(['ms', 'bytesAllocated'] as const).map((metric) => (
          <figure key={metric} ref={metric === 'ms' ? timeFigure : undefined}>
            <figcaption>{t(`plot.title.${metric}`)}</figcaption>
            <Plot
              metric={metric}
              series={metric === 'ms' ? plots.ms : plots.bytes}
              order={order}
              name={name}
              marks={metric === 'ms' ? plots.marks : undefined}
              label={t(`plot.label.${metric}`)}
              testId={metric === 'ms' ? 'race-time' : 'race-memory'}
            />
          </figure>
        ))}
      </div>
      <section className="section">
        <h3>{t('cross.title')}</h3>
        {shownPairs ? (
          <Crossovers report={shownPairs} name={name} testId="race-pairs" />
        ) : (
          <p>{t('cross.none')}</p>
        )}
      </section>
      <section className="section">
        <h3>{t('table.title')}</h3>
        {own && <RowsTable report={own} name={name} caption={t('table.caption')} testId="race-rows" />}
        {!own && refShown && refOnly && (
          <details className="race-ref-rows">
            <summary>{t('table.refCaption')}</summary>
            <RowsTable report={refOnly} name={name} caption={t('table.refCaption')} testId="race-ref-rows" />
          </details>
        )}
        {!own && !refShown && <p>{t('table.empty')}</p>}
      </section>
    </div>
  );
}

/** The reference run narrowed to the chosen algorithms (its rows and the pairs between them). */
function onlyPairs(r: raceStage.Report, ids: readonly string[]): raceStage.Report {
  return {
    ...r,
    algorithms: r.algorithms.filter((a) => ids.includes(a.id)),
    rows: r.rows.filter((x) => ids.includes(x.algorithm)),
    comparisons: r.comparisons.filter((c) => ids.includes(c.a) && ids.includes(c.b)),
  };
}
