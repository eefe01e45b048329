// The six models in one table, every figure from the run: the training form's dispatches and state steps
// along the sequence, the bytes one generated token reads and the state it leaves behind (first token and
// last), the largest difference between the generated and the trained outputs, and the programs that ran.
// A real table (readable by screen readers and without a mouse), scrolling sideways on narrow screens.

import { formatErr } from '../../components/Check';
import { ColumnHeads } from '../../components/parts';
import { ScrollRegion } from '../../components/ScrollRegion';
import { Tex } from '../../components/Tex';
import { formatBytes, formatNumber, useTranslation } from '../../i18n';
import type { ModelId, ModelRow } from './figures';
import { introTex } from './tex';

/** Each row's state update (for attention: the cache growing by one row). */
const ROW_TEX: Readonly<Record<ModelId, string>> = {
  rnn: introTex.rnn,
  attention: introTex.cache,
  linear: introTex.linear,
  s4: introTex.ssm,
  mamba: introTex.mamba,
  mamba2: introTex.mamba2,
};

function Growth({ first, last, grows }: { first: number; last: number; grows: boolean }) {
  const { t } = useTranslation('intro');
  return (
    <small className={grows ? 'grows' : 'constant'}>
      {grows ? t('table.grows', { first: formatBytes(first), last: formatBytes(last) }) : t('table.constant')}
    </small>
  );
}

const COLUMNS = ['model', 'train', 'token', 'memory', 'ran'] as const;

export function ModelTable({ rows, L }: { rows: readonly ModelRow[]; L: number }) {
  const { t } = useTranslation('intro');
  const n = (v: number) => formatNumber(v);
  return (
    <ScrollRegion label={t('table.caption', { L })}>
      <table className="model-table" data-testid="intro-table">
        <caption>{t('table.caption', { L })}</caption>
        <ColumnHeads names={COLUMNS.map((c) => t(`table.${c}`))} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid={`row-${r.id}`}>
              <th scope="row">
                {t(`models.${r.id}.name`)}
                <span className="row-eq">
                  <Tex tex={ROW_TEX[r.id]} />
                </span>
              </th>
              <td data-testid={`train-${r.id}`} data-steps={r.seqSteps} data-dispatches={r.trainDispatches}>
                {t('table.trainCell', { dispatches: n(r.trainDispatches), steps: n(r.seqSteps) })}
                <small>{t(`table.parallel.${r.parallelism}`, { L: n(L) })}</small>
              </td>
              <td data-testid={`token-${r.id}`} data-bytes={r.tokenBytes}>
                {t('table.tokenCell', {
                  bytes: formatBytes(r.tokenBytes),
                  dispatches: n(r.decodeDispatches),
                })}
                <Growth first={r.tokenBytesFirst} last={r.tokenBytes} grows={r.tokenGrowth === 'grows'} />
              </td>
              <td data-testid={`memory-${r.id}`} data-bytes={r.stateBytes}>
                {formatBytes(r.stateBytes)}
                <Growth first={r.stateBytesFirst} last={r.stateBytes} grows={r.stateGrowth === 'grows'} />
              </td>
              <td>
                <code>{r.train.join(' + ')}</code> → <code>{r.decode.join(' + ')}</code>
                <small>{t('table.decodeErr', { err: formatErr(r.decodeErr) })}</small>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
