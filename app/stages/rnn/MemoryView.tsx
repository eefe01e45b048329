// Section 3: fading memory, live. The batched run ran each cell twice (the sentence, and the sentence with
// x_s moved by ε); δ_t = ‖h'_t − h_t‖ for every t comes from those two real runs, and the LSTM's
// ‖c'_t − c_t‖ from the stepper as it reads each step back.

import { ParamControls } from '../../components/ParamControls';
import { Sym } from '../../components/Sym';
import { useWidth } from '../../components/useWidth';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { perStep } from './checks';
import { useRnnSteps } from './hooks';
import { MemoryPlot } from './MemoryPlot';
import { rnnStageParams } from './params';
import type { RnnResult } from './runtime';
import { tokensLang } from './lang';
import { MathRegion, Section, WithResult } from './parts';
import { rnnTex } from './tex';

/** What is left of the change at the last token, relative to where it entered (null: nothing after s). */
export function kept(delta: ArrayLike<number>, s: number): number | null {
  const T = delta.length;
  if (s >= T - 1 || !(delta[s] > 0)) return null;
  return delta[T - 1] / delta[s];
}

const pct = (v: number | null) =>
  v === null ? '–' : formatNumber(v, { style: 'percent', maximumSignificantDigits: 2 });

function Body({ r }: { r: RnnResult }) {
  const { t } = useTranslation('rnn');
  const steps = useRnnSteps();
  const k = useApp((st) => st.k);
  const [ref, width] = useWidth<HTMLDivElement>(700);
  const T = r.inputs.tokens.length;
  const s = r.params.t0;
  const series = [
    { key: 'rnn', name: t('memory.rnn'), values: r.outputs.dh, tone: 'tone-rnn' },
    { key: 'lstm', name: t('memory.lstm'), values: r.outputs.dhLstm, tone: 'tone-lstm' },
    { key: 'cell', name: t('memory.cell'), values: perStep(steps, k, T, (st) => st.dc), tone: 'tone-cell' },
  ];
  const rnnKept = kept(r.outputs.dh, s);
  const lstmKept = kept(r.outputs.dhLstm, s);
  return (
    <div ref={ref}>
      <MemoryPlot
        series={series}
        n={T}
        width={Math.min(width, 760)}
        at={s}
        label={t('memory.plotLabel', { T, s: s + 1 })}
        stepName={(i) => t('memory.stepName', { t: i + 1 })}
      />
      <p data-testid="rnn-kept">
        {rnnKept === null ? (
          t('memory.lastToken')
        ) : (
          <Trans
            t={t}
            i18nKey="memory.kept"
            values={{
              token: r.inputs.tokens[s],
              last: r.inputs.tokens[T - 1],
              rnn: pct(rnnKept),
              lstm: pct(lstmKept),
            }}
            components={{ tok: <span lang={tokensLang(r.inputs.tokens)} /> }}
          />
        )}
      </p>
    </div>
  );
}

export function MemoryView() {
  const { t } = useTranslation('rnn');
  return (
    <Section id="memory">
      <p>
        <Trans
          t={t}
          i18nKey="memory.p1"
          components={{ eps: <Sym s="eps" tex="\varepsilon" />, xs: <Sym s="x" tex="x_s" /> }}
        />
      </p>
      <MathRegion tex={[rnnTex.perturb, rnnTex.distance]} />
      <fieldset className="setup">
        <legend className="visually-hidden">{t('memory.legend')}</legend>
        <ParamControls specs={rnnStageParams} keys={['eps', 'pos']} />
      </fieldset>
      <WithResult>{(r) => <Body r={r} />}</WithResult>
      <p>
        <Trans t={t} i18nKey="memory.why" components={{ W: <Sym s="W" tex="W" /> }} />
      </p>
      <MathRegion tex={[rnnTex.jacobian]} />
    </Section>
  );
}
