// "What the GPU did": the dispatches of the stage's run in order (kernel, entry point, grid, override
// constants, bytes bound by access), the run's totals and GPU time, and, from a traced run, the traffic
// between storage buffers (HBM) and workgroup memory (SRAM) at a step, drawn and as tables. On the CPU
// backend it says so in words. Every figure comes from the engine's records (diagrams/gpuPanel.ts). The
// default export is both panels for the current stage's result, what the App mounts (lazily).

import { useEffect, useId, useMemo, useState } from 'react';
import { type DispatchRow, dispatchRows, dispatchTotals, trafficAt } from '../diagrams/gpuPanel';
import { formatBytes, formatNumber, useTranslation } from '../i18n';
import type { StageRan, StageResultBase } from '../stages/types';
import { useStageResult } from '../store/stageHooks';
import { GpuTraffic } from './GpuTraffic';
import { KernelSource, useWorkgroupSizes } from './KernelSource';
import { ColumnHeads, TitledSection } from './parts';
import { ScrollRegion } from './ScrollRegion';
import '../styles/gpu.css';

/** 4×1×1 as "4", 8×8×1 as "8×8". */
const dims = (d: readonly number[]) => {
  const last = d[2] !== 1 ? 3 : d[1] !== 1 ? 2 : 1;
  return d
    .slice(0, last)
    .map((n) => formatNumber(n))
    .join('×');
};

function Row({ r }: { r: DispatchRow }) {
  const { t } = useTranslation('gpu', { keyPrefix: 'panel' });
  const range = r.count > 1 ? `${r.first + 1}–${r.first + r.count}` : String(r.first + 1);
  return (
    <tr data-testid="gpu-dispatch">
      <th scope="row">{range}</th>
      <td>
        <code>{r.label}</code>
        {r.count > 1 && <span className="gpu-repeat"> {t('repeated', { count: r.count })}</span>}
        <details className="gpu-buffers">
          <summary>{t('buffers')}</summary>
          <ul>
            {r.buffers.map((b) => (
              <li key={b.binding}>
                <code>{b.name || `@binding(${b.binding})`}</code> (<code>{b.label}</code>):{' '}
                {t('bufferBytes', { bytes: formatBytes(b.bytes), access: t(`access.${b.access}`) })}
              </li>
            ))}
          </ul>
        </details>
      </td>
      <td>
        <code>{r.entryPoint}</code>
      </td>
      <td className="num">
        {dims(r.workgroups)}
        {r.workgroupSize && ` × ${dims(r.workgroupSize)}`}
      </td>
      <td>
        {r.constants.map(([k, v]) => (
          <code key={k} className="gpu-constant">
            {k}={v}
          </code>
        ))}
      </td>
      <td className="num">{formatBytes(r.bound.read)}</td>
      <td className="num">{formatBytes(r.bound.readWrite)}</td>
      <td className="num">{formatBytes(r.bound.uniform)}</td>
    </tr>
  );
}

const DISPATCH_COLUMNS = [
  'colIndex',
  'colKernel',
  'colEntry',
  'colGrid',
  'colConstants',
  'colRead',
  'colReadWrite',
  'colUniform',
] as const;

function Dispatches({ ran }: { ran: StageRan }) {
  const { t } = useTranslation('gpu', { keyPrefix: 'panel' });
  const sizes = useWorkgroupSizes(ran.dispatches);
  const rows = useMemo(() => dispatchRows(ran.dispatches, sizes), [ran.dispatches, sizes]);
  const totals = useMemo(() => dispatchTotals(ran.dispatches, rows), [ran.dispatches, rows]);
  if (rows.length === 0) return <p>{t('none')}</p>;
  return (
    <>
      <p className="gpu-summary" data-testid="gpu-summary">
        {t('summary', { count: totals.dispatches, workgroups: formatNumber(totals.workgroups) })}{' '}
        {totals.invocations !== null && t('invocations', { n: formatNumber(totals.invocations) })}
      </p>
      <p className="gpu-time" data-testid="gpu-time">
        {ran.gpuMs === null
          ? t('noTime')
          : t('gpuTime', { ms: formatNumber(ran.gpuMs, { maximumSignificantDigits: 3 }) })}
      </p>
      <ScrollRegion label={t('tableLabel')} className="gpu-scroll">
        <table className="gpu-table">
          <caption>{t('caption')}</caption>
          <ColumnHeads names={DISPATCH_COLUMNS.map((c) => t(c))} />
          <tbody>
            {rows.map((r) => (
              <Row key={r.first} r={r} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={5}>
                {t('total')}
              </th>
              <td className="num">{formatBytes(totals.bound.read)}</td>
              <td className="num">{formatBytes(totals.bound.readWrite)}</td>
              <td className="num">{formatBytes(totals.bound.uniform)}</td>
            </tr>
          </tfoot>
        </table>
      </ScrollRegion>
      <p className="gpu-note">
        {t('footprint', { count: totals.buffers, bytes: formatBytes(totals.bufferBytes) })} {t('boundNote')}
      </p>
    </>
  );
}

export interface GpuPanelProps {
  ran: StageRan | null;
  /** Frames of the trace timeline applied (stateAt's step); without it the panel has its own slider. */
  step?: number;
}

export function GpuPanel({ ran, step }: GpuPanelProps) {
  const { t } = useTranslation('gpu', { keyPrefix: 'panel' });
  const id = useId();
  const timeline = ran?.backend === 'webgpu' ? ran.timeline : null;
  const frames = timeline?.frames.length ?? 0;
  const [own, setOwn] = useState(frames);
  useEffect(() => setOwn(timeline?.frames.length ?? 0), [timeline]);
  const at = step ?? own;
  const traffic = useMemo(() => (timeline ? trafficAt(timeline, at) : null), [timeline, at]);
  let body: React.ReactNode;
  if (!ran) body = <p className="placeholder">{t('pending')}</p>;
  else if (ran.backend === 'cpu') body = <p data-testid="gpu-panel-cpu">{t('cpu')}</p>;
  else
    body = (
      <>
        <Dispatches ran={ran} />
        {traffic ? (
          <GpuTraffic model={traffic} onStep={step === undefined ? setOwn : undefined} />
        ) : (
          <p className="gpu-note">{t('noTrace')}</p>
        )}
      </>
    );
  return (
    <TitledSection headingId={`${id}-title`} className="gpu-panel" testId="gpu-panel" title={t('title')}>
      {body}
    </TitledSection>
  );
}

/** Both panels for the current stage, from its result's record of what ran (the App's slot). */
export default function StageRanPanels() {
  const ran = useStageResult<StageResultBase>()?.ran ?? null;
  return (
    <>
      <GpuPanel ran={ran} />
      <KernelSource ran={ran} />
    </>
  );
}
