// The rows as a table (the plots' alternative): per algorithm and L, the time, the GB/s of its compulsory
// traffic, the fraction of the same-run copy, GFLOP/s, the bytes it allocated, and its status with the
// reason where it did not run. The engine's reasons are its own English sentences (marked lang="en").

import { memo } from 'react';
import { ScrollRegion } from '../../components/ScrollRegion';
import { raceStage } from '../../../engine';
import { formatBytes, formatNumber, useTranslation } from '../../i18n';

const sig = (v: number | null, digits = 4) =>
  v === null ? '—' : formatNumber(v, { maximumSignificantDigits: digits });

export const RowsTable = memo(function RowsTable({
  report,
  name,
  caption,
  testId,
}: {
  report: raceStage.Report;
  name: (id: string) => string;
  caption: string;
  testId: string;
}) {
  const { t } = useTranslation('race');
  return (
    <ScrollRegion label={caption}>
      <table className="race-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {(['algorithm', 'L', 'ms', 'gbps', 'copy', 'gflops', 'bytes', 'status'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`table.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <RowLine key={`${r.algorithm}@${r.L}`} r={r} name={name} ceiling={report.copy.gbps} />
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
});

/**
 * One row, drawn again only when it changes: the suite appends rows, so a run of n rows draws each once
 * (and once more at the end, when the ceiling, and with it every fraction of copy, is final).
 */
const RowLine = memo(function RowLine({
  r,
  name,
}: {
  r: raceStage.Row;
  name: (id: string) => string;
  /** The copy ceiling the row's fraction is of (the suite rewrites every fraction when it changes). */
  ceiling: number;
}) {
  const { t } = useTranslation('race');
  return (
    <tr data-testid="race-row" data-status={r.status}>
      <th scope="row">{name(r.algorithm)}</th>
      <td className="num">{formatNumber(r.L)}</td>
      <td className="num">{sig(r.ms)}</td>
      <td className="num">{sig(r.gbps)}</td>
      <td className="num">
        {r.copyFraction === null
          ? '—'
          : formatNumber(r.copyFraction, { style: 'percent', maximumSignificantDigits: 3 })}
      </td>
      <td className="num">{sig(r.gflops)}</td>
      <td className="num">{r.bytesAllocated === null ? '—' : formatBytes(r.bytesAllocated)}</td>
      <td>
        {t(`status.${r.status}`)}
        {r.reason === raceStage.STOPPED ? (
          <>: {t('status.stoppedReason')}</>
        ) : (
          r.reason && (
            <>
              : <span lang="en">{r.reason}</span>
            </>
          )
        )}
      </td>
    </tr>
  );
});
