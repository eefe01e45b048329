// Section 1: the Elman recurrence unrolled over the reader's tokens and animated from the stepper. Every
// h_t drawn here was read back (GPU, or the CPU backend) one step at a time; stepping back shows the cache.

import { ScrollRegion } from '../../components/ScrollRegion';
import { Sym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { Trans, useTranslation } from '../../i18n';
import { history } from './checks';
import type { RnnResult } from './runtime';
import { tokensLang } from './lang';
import { MathRegion, Section, WithResult, StateColumn, StepperCheck, useStepView } from './parts';
import { rnnTex } from './tex';
import { UnrolledChain } from './UnrolledChain';

function Body({ r }: { r: RnnResult }) {
  const { t } = useTranslation('rnn');
  const { steps, k, cur, prev, state } = useStepView(r);
  const { H, d } = r.params;
  const tokens = r.inputs.tokens;
  const T = tokens.length;
  const xk = Float64Array.from({ length: d }, (_, i) =>
    k >= 1 ? r.inputs.x[2 * (k - 1) * d + i] : Number.NaN,
  );
  const cell = Math.max(10, Math.min(22, Math.floor(220 / Math.max(H, d))));
  const at = Math.max(k, 1);
  return (
    <>
      <ScrollRegion label={t('elman.chainLabel', { T })}>
        <UnrolledChain
          tokens={tokens}
          rows={[{ sym: 'h', values: history(steps, k, T, H, (s) => s.h) }]}
          H={H}
          k={k}
          perturbed={r.params.t0}
          label={t('elman.chainLabel', { T })}
          testId="rnn-chain"
        />
      </ScrollRegion>
      <div className="state-row">
        <StateColumn
          sym="h"
          tex={`h_{${Math.max(k - 1, 0)}}`}
          values={state(prev?.h, k <= 1)}
          cell={cell}
          label={t('elman.prev')}
          name={(j) => `h_${Math.max(k - 1, 0)}[${j + 1}]`}
        />
        <StateColumn
          sym="x"
          tex={`x_{${at}}`}
          values={xk}
          cell={cell}
          label={t('elman.input')}
          name={(i) => `x_${at}[${i + 1}]`}
        />
        <div className="state-eq">
          <Tex tex={String.raw`h_{${at}} = \tanh(W h_{${at - 1}} + U x_{${at}} + b)`} />
          <p className="small">
            {k >= 1 ? (
              <Trans
                t={t}
                i18nKey="elman.token"
                values={{ t: k, token: tokens[k - 1] }}
                components={{ tok: <span lang={tokensLang(tokens)} /> }}
              />
            ) : (
              t('elman.start')
            )}
          </p>
        </div>
        <StateColumn
          sym="h"
          tex={`h_{${k}}`}
          values={state(cur?.h, k === 0)}
          cell={cell}
          label={t('elman.current')}
          name={(j) => `h_${k}[${j + 1}]`}
          testId="rnn-h-current"
        />
      </div>
      <StepperCheck r={r} cell="elman" label={(n) => t('elman.check', { n })} />
    </>
  );
}

/** The section's heading and text; the playback bar follows it in Diagram.tsx. */
export function ElmanIntro() {
  const { t } = useTranslation('rnn');
  return (
    <Section id="elman">
      <MathRegion tex={[rnnTex.elman]} />
      <p>
        <Trans
          t={t}
          i18nKey="elman.p1"
          components={{
            W: <Sym s="W" tex="W" />,
            U: <Sym s="U" tex="U" />,
            x: <Sym s="x" tex="x_t" />,
            h: <Sym s="h" tex="h_t" />,
            hp: <Sym s="h" tex="h_{t-1}" />,
          }}
        />
      </p>
      <MathRegion tex={[rnnTex.names]} />
    </Section>
  );
}

export function ElmanBody() {
  return (
    <div className="view">
      <WithResult>{(r) => <Body r={r} />}</WithResult>
    </div>
  );
}
