// Section 2: why an RNN trains one step after another (the batched run's own dispatches: the projections
// of every token at once, then one workgroup per sentence walking the T steps in order), and why
// generating costs the same at every token (the cost per token, and each step's measured time).

import { rnnStage } from '../../../engine';
import { GpuCpuCheck } from '../../components/Check';
import { Captioned } from '../../components/parts';
import { SequenceBars } from '../../components/SequenceBars';
import { Sym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import type { RnnResult } from './runtime';
import { MathRegion, Section, WithResult } from './parts';
import { rnnTex } from './tex';

const groups = (w: readonly number[]) => w.reduce((a, b) => a * b, 1);

function Dispatches({ r }: { r: RnnResult }) {
  const { t } = useTranslation('rnn');
  const T = r.inputs.tokens.length;
  const rows = r.ran.dispatches.map((d) => {
    const kind = d.label.endsWith('.scan') ? 'scan' : 'proj';
    const cell = d.label.startsWith('lstm') ? 'LSTM' : 'RNN';
    return { label: d.label, cell, kind, n: groups(d.workgroups) };
  });
  if (rows.length === 0) return <p>{t('seq.cpu', { T })}</p>;
  return (
    <ul className="dispatch-facts">
      {rows.map((row) => (
        <li key={row.label}>
          <code>{row.label}</code>{' '}
          {t(row.kind === 'scan' ? 'seq.scan' : 'seq.proj', {
            cell: row.cell,
            n: formatNumber(row.n),
            T,
          })}
        </li>
      ))}
    </ul>
  );
}

function Body({ r }: { r: RnnResult }) {
  const { t } = useTranslation('rnn');
  const k = useApp((s) => s.k);
  const [ref, width] = useWidth<HTMLDivElement>(700);
  const T = r.inputs.tokens.length;
  const cost = rnnStage.costPerToken(r.params);
  return (
    <div ref={ref}>
      <Dispatches r={r} />
      <GpuCpuCheck value={r.gpuCpu} label={t('seq.gpuCpu')} none={t('seq.noGpuCheck')} />
      <h4>{t('seq.costTitle')}</h4>
      <MathRegion tex={[rnnTex.cost]} />
      <p>
        {t('seq.cost', {
          H: r.params.H,
          d: r.params.d,
          rnn: formatNumber(cost.elman.macs),
          lstm: formatNumber(cost.lstm.macs),
          sRnn: formatNumber(cost.elman.state),
          sLstm: formatNumber(cost.lstm.state),
        })}
      </p>
      <Captioned className="seq-row" kind="seq" caption={t('seq.timeLabel')}>
        <SequenceBars
          values={r.stepMs}
          width={Math.min(width, 720)}
          label={t('seq.timeCaption', { T })}
          active={k - 1}
          tone="kernel"
          name={(i) => t('seq.timeName', { t: i + 1 })}
          testId="rnn-step-ms"
        />
      </Captioned>
      <p className="small">{t('seq.timeNote')}</p>
    </div>
  );
}

export function SequentialView() {
  const { t } = useTranslation('rnn');
  return (
    <Section id="seq">
      <MathRegion tex={[rnnTex.chain]} />
      <p>
        <Trans
          t={t}
          i18nKey="seq.p1"
          components={{
            b: <b />,
            ht: <Sym s="h" tex="h_t" />,
            hp: <Sym s="h" tex="h_{t-1}" />,
            hpp: <Sym s="h" tex="h_{t-2}" />,
            ux: <Tex tex="U x_t + b" />,
          }}
        />
      </p>
      <WithResult>{(r) => <Body r={r} />}</WithResult>
    </Section>
  );
}
