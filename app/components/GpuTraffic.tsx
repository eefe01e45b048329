// The GPU panel's traffic part, from a trace timeline at a step: HBM on the left, each workgroup's
// workgroup memory (SRAM) with the tiles it holds on the right, an arrow per direction filled by the share
// of its bytes moved so far; then the same figures as tables (bytes by tensor, tiles resident).

import type { TFunction } from 'i18next';
import { type Lane, type TrafficModel, trafficLayout } from '../diagrams/gpuPanel';
import { formatBytes, formatNumber, Trans, useTranslation } from '../i18n';
import { ColumnHeads } from './parts';
import { ScrollRegion } from './ScrollRegion';

const LANE_KINDS: readonly Lane[] = ['load', 'store', 'read', 'write'];
const MAX_TILE_ROWS = 40;

const frameValues = (m: TrafficModel) => ({
  step: m.step,
  wg: m.last?.workgroup ?? 0,
  bytes: formatBytes(m.last?.bytes ?? 0),
  tensor: m.last?.tensor ?? '',
  phase: m.last?.phase ?? '',
});

/** What the last applied frame did, as plain text (for the slider's aria-valuetext). */
function frameText(t: TFunction, m: TrafficModel): string {
  if (!m.last) return t('start');
  return t(`frame.${m.last.kind}`, frameValues(m)).replace(/<\/?t>/g, '');
}

/** The same sentence with tensor and phase names as code. */
function FrameSentence({ t, m }: { t: TFunction; m: TrafficModel }) {
  if (!m.last) return <>{t('start')}</>;
  return (
    <Trans t={t} i18nKey={`frame.${m.last.kind}`} values={frameValues(m)} components={{ t: <code /> }} />
  );
}

function Figure({ t, m }: { t: TFunction; m: TrafficModel }) {
  const lay = trafficLayout(m);
  const label = t('figure', {
    step: m.step,
    frames: m.frames,
    load: formatBytes(m.sofar.load),
    store: formatBytes(m.sofar.store),
    read: formatBytes(m.sofar.read),
    write: formatBytes(m.sofar.write),
  });
  const { hbm } = lay;
  return (
    <svg className="gpu-traffic" viewBox={`0 0 ${lay.width} ${lay.height}`} role="img" aria-label={label}>
      <rect className="gpu-hbm" x={hbm.x + 1} y={hbm.y} width={hbm.w - 2} height={hbm.h} rx={6} />
      <text className="gpu-box-title" x={hbm.x + 12} y={hbm.y + 22}>
        {t('hbm')}
      </text>
      <text className="gpu-box-sub" x={hbm.x + 12} y={hbm.y + 40}>
        {t('hbmSub')}
      </text>
      {lay.lanes.map((l) => {
        const from = l.toward === 'chip' ? l.x0 : l.x1;
        const to = l.toward === 'chip' ? l.x1 : l.x0;
        const head = l.toward === 'chip' ? -6 : 6;
        return (
          <g key={l.kind} className={`gpu-lane gpu-lane-${l.kind}`}>
            <text className="gpu-lane-label" x={l.x0} y={l.y - 6}>
              {t(`lane.${l.kind}`)} {formatBytes(m.sofar[l.kind])}
            </text>
            <line className="gpu-lane-track" x1={l.x0} x2={l.x1} y1={l.y} y2={l.y} />
            {l.done > 0 && (
              <line className="gpu-lane-done" x1={from} x2={from + (to - from) * l.done} y1={l.y} y2={l.y} />
            )}
            <path className="gpu-lane-head" d={`M${to},${l.y} l${head},-4 v8 z`} />
          </g>
        );
      })}
      {lay.boxes.map((b) => (
        <g key={b.workgroup} transform={`translate(${b.x},${b.y})`}>
          <rect className="gpu-sram" width={b.w - 1} height={b.h} rx={6} />
          <text className="gpu-box-title" x={8} y={16}>
            {t('sram', { wg: b.workgroup })}
          </text>
          {b.chips.length === 0 && (
            <text className="gpu-box-sub" x={8} y={36}>
              {t('emptySram')}
            </text>
          )}
          {b.chips.map((c) => (
            <g key={c.tensor} transform={`translate(${c.x},${c.y})`}>
              <rect className="gpu-tile" width={c.w} height={20} rx={3} />
              <text className="gpu-tile-text" x={7} y={14}>
                <tspan lang="en" className="code">
                  {c.tensor}
                </tspan>{' '}
                {formatNumber(c.count)}
              </text>
            </g>
          ))}
        </g>
      ))}
      {lay.hidden > 0 && (
        <text className="gpu-box-sub" x={lay.boxes[0]?.x ?? 0} y={lay.height - 6}>
          {t('hidden', { count: lay.hidden })}
        </text>
      )}
    </svg>
  );
}

function Tables({ t, m }: { t: TFunction; m: TrafficModel }) {
  const tiles = m.workgroups.flatMap((w) => w.tiles);
  /** One cell per lane: the bytes so far of the total, for a tensor's row or the totals' row. */
  const laneCells = (x: Pick<TrafficModel, 'sofar' | 'total'>) =>
    LANE_KINDS.map((k) => (
      <td key={k} className="num">
        {t('ofTotal', { sofar: formatBytes(x.sofar[k]), total: formatBytes(x.total[k]) })}
      </td>
    ));
  return (
    <>
      <ScrollRegion label={t('bytesCaption')}>
        <table className="gpu-table" data-testid="gpu-traffic-table">
          <caption>{t('bytesCaption')}</caption>
          <ColumnHeads names={[t('colTensor'), ...LANE_KINDS.map((k) => t(`lane.${k}`))]} />
          <tbody>
            {m.tensors.map((row) => (
              <tr key={row.tensor}>
                <th scope="row">
                  <code>{row.tensor}</code>
                </th>
                {laneCells(row)}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('total')}</th>
              {laneCells(m)}
            </tr>
          </tfoot>
        </table>
      </ScrollRegion>
      {tiles.length === 0 ? (
        <p className="gpu-note">{t('noTiles')}</p>
      ) : (
        <ScrollRegion label={t('tilesCaption', { step: m.step })}>
          <table className="gpu-table">
            <caption>{t('tilesCaption', { step: m.step })}</caption>
            <ColumnHeads names={[t('colWorkgroup'), t('colTensor'), t('colElements'), t('colSince')]} />
            <tbody>
              {tiles.slice(0, MAX_TILE_ROWS).map((tile) => (
                <tr key={`${tile.workgroup}-${tile.tensor}`}>
                  <td className="num">{tile.workgroup}</td>
                  <td>
                    <code>{tile.tensor}</code>
                  </td>
                  <td className="num">
                    {t('elements', {
                      from: formatNumber(tile.offset),
                      to: formatNumber(tile.offset + tile.count - 1),
                      n: formatNumber(tile.count),
                    })}
                  </td>
                  <td className="num">{tile.since + 1}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {tiles.length > MAX_TILE_ROWS && (
        <p className="gpu-note">{t('moreTiles', { count: tiles.length - MAX_TILE_ROWS })}</p>
      )}
    </>
  );
}

export function GpuTraffic({ model, onStep }: { model: TrafficModel; onStep?: (step: number) => void }) {
  const { t } = useTranslation('gpu', { keyPrefix: 'traffic' });
  return (
    <div className="gpu-traffic-part" data-testid="gpu-traffic">
      <h4>{t('heading')}</h4>
      {onStep && (
        <p className="gpu-frame">
          <label>
            {t('slider')}{' '}
            <input
              type="range"
              min={0}
              max={model.frames}
              step={1}
              value={model.step}
              aria-valuetext={frameText(t, model)}
              onChange={(e) => onStep(Number(e.target.value))}
            />
          </label>{' '}
          <output>{t('frameOf', { step: model.step, frames: model.frames })}</output>
        </p>
      )}
      <p className="gpu-note">
        <FrameSentence t={t} m={model} />
      </p>
      {!model.complete && <p className="gpu-note">{t('incomplete')}</p>}
      <ScrollRegion label={t('heading')}>
        <Figure t={t} m={model} />
      </ScrollRegion>
      <Tables t={t} m={model} />
    </div>
  );
}
