// Section 4: the LSTM on the same tokens, stepped with the same clock: its gates i, f, g, o and its cell
// state c_t (the conveyor belt) read back at every step, beside its h_t. Every value comes from the
// engine's LSTM stepper (GPU, or the CPU backend).

import { ParamControls } from '../../components/ParamControls';
import { ScrollRegion } from '../../components/ScrollRegion';
import { Sym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { history } from './checks';
import { tokensLang } from './lang';
import { rnnStageParams } from './params';
import { MathRegion, Section, WithResult, StateColumn, StepperCheck, useStepView } from './parts';
import type { RnnResult } from './runtime';
import { rnnTex } from './tex';
import { UnrolledChain } from './UnrolledChain';

const GATES = ['i', 'f', 'g', 'o'] as const;

function Body({ r }: { r: RnnResult }) {
  const { t } = useTranslation('rnn');
  const { steps, k, cur, prev, state } = useStepView(r);
  const { H } = r.params;
  const tokens = r.inputs.tokens;
  const T = tokens.length;
  // gates (2, 4H): the sentence's gate q is gates[q·H .. (q+1)·H).
  const gate = (q: number) =>
    Float64Array.from({ length: H }, (_, j) => (cur ? cur.gates[q * H + j] : Number.NaN));
  const meanF = cur ? Array.from(gate(1)).reduce((a, b) => a + b, 0) / H : Number.NaN;
  const cell = Math.max(9, Math.min(18, Math.floor(200 / H)));
  const col = (sym: string, step: number, values: ArrayLike<number>, label: string, testId?: string) => (
    <StateColumn
      key={`${sym}${step}`}
      sym={sym}
      tex={`${sym}_{${step}}`}
      values={values}
      cell={cell}
      extent={1}
      label={label}
      name={(j) => `${sym}_${step}[${j + 1}]`}
      testId={testId}
    />
  );
  return (
    <>
      <ScrollRegion label={t('lstm.chainLabel', { T })}>
        <UnrolledChain
          tokens={tokens}
          rows={[
            { sym: 'c', values: history(steps, k, T, H, (s) => s.c) },
            { sym: 'h', values: history(steps, k, T, H, (s) => s.lstmH) },
          ]}
          H={H}
          k={k}
          belt
          perturbed={r.params.t0}
          label={t('lstm.chainLabel', { T })}
          testId="lstm-chain"
        />
      </ScrollRegion>
      <div className="state-row gates-row">
        {GATES.map((g, q) => col(g, Math.max(k, 1), gate(q), t(`lstm.gate.${g}`), `lstm-gate-${g}`))}
        {col('c', Math.max(k - 1, 0), state(prev?.c, k <= 1), t('lstm.cPrev'))}
        {col('c', k, state(cur?.c, k === 0), t('lstm.cNow'), 'lstm-c-current')}
        {col('h', k, state(cur?.lstmH, k === 0), t('lstm.hNow'))}
      </div>
      <p data-testid="lstm-forget">
        {cur ? (
          <Trans
            t={t}
            i18nKey="lstm.forgetNow"
            values={{ t: k, token: tokens[k - 1], f: formatNumber(meanF, { maximumFractionDigits: 2 }) }}
            components={{ tok: <span lang={tokensLang(tokens)} /> }}
          />
        ) : (
          t('lstm.start')
        )}
      </p>
      <StepperCheck r={r} cell="lstm" label={(n) => t('lstm.check', { n })} />
    </>
  );
}

export function LstmView() {
  const { t } = useTranslation('rnn');
  const syms = Object.fromEntries(GATES.map((g) => [g, <Sym key={g} s={g} tex={`${g}_t`} />]));
  return (
    <Section id="lstm">
      <p>
        <Trans
          t={t}
          i18nKey="lstm.p1"
          components={{
            ...syms,
            c: <Sym s="c" tex="c_t" />,
            hp: <Sym s="h" tex="h_{t-1}" />,
            x: <Sym s="x" tex="x_t" />,
          }}
        />
      </p>
      <MathRegion tex={[rnnTex.gates, rnnTex.cell]} />
      <p>
        <Trans t={t} i18nKey="lstm.p2" components={{ f: <Sym s="f" tex="f_t" />, bf: <Tex tex="b_f" /> }} />
      </p>
      <MathRegion tex={[rnnTex.cellGrad]} />
      <fieldset className="setup">
        <legend className="visually-hidden">{t('lstm.legend')}</legend>
        <ParamControls specs={rnnStageParams} keys={['bf']} />
      </fieldset>
      <div className="view">
        <WithResult>{(r) => <Body r={r} />}</WithResult>
      </div>
    </Section>
  );
}
