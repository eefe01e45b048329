// Section 4: the convolution view. The kernel K̄ = (CB̄, CĀB̄, …) computed on the GPU slides over the
// input; the output equals the recurrence's, and the live check shows by how much they differ.

import { Check } from '../../components/Check';
import { Captioned, TitledSection } from '../../components/parts';
import { SequenceBars } from '../../components/SequenceBars';
import { Sym, useSym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { useWidth } from '../../components/useWidth';
import { convWindow } from '../../diagrams/convWindow';
import { valueDomain } from '../../diagrams/sequence';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { recConvCheck } from './checks';
import { fmt3 } from './format';
import { useSsmResult } from './hooks';
import { MathBlock } from './MathBlock';
import type { SsmResult } from './runtime';
import { InputRow, OutputRow } from './rows';
import { ssmTex } from './tex';

function Body({ r, width }: { r: SsmResult; width: number }) {
  const { t } = useTranslation('ssm');
  const k = useApp((s) => s.k);
  const kernel = useSym('K', 'seq-row');
  const aligned = useSym('K', 'seq-row');
  const { L } = r.params;
  const u = r.inputs.u;
  const K = r.outputs.K;
  const win = k >= 1 ? convWindow(K, u, r.inputs.D, k - 1) : null;
  const check = recConvCheck(r);
  const kDomain = valueDomain(K);
  const nL = formatNumber(L);
  return (
    <>
      <Captioned
        bind={kernel.bind}
        caption={
          <Trans
            t={t}
            i18nKey="conv.kernel"
            components={{ kj: <Tex tex="\bar K_j = C\bar A^{j}\bar B" />, j: <Tex tex="j = 0 \dots L-1" /> }}
          />
        }
        kind="seq"
      >
        <SequenceBars
          values={K}
          width={width}
          label={t('conv.kernelLabel', { L: nL })}
          tone="kernel"
          domain={kDomain}
          name={(j) => `K̄_${j}`}
          testId="conv-kernel"
        />
      </Captioned>
      <InputRow r={r} k={k} width={width} view="conv" />
      <Captioned
        bind={aligned.bind}
        caption={
          <Trans
            t={t}
            i18nKey="conv.aligned"
            components={{
              kbar: <Tex tex="\bar K" />,
              k0: <Tex tex="\bar K_0" />,
              xk: <Tex tex="x_k" />,
              k1: <Tex tex="\bar K_1" />,
              xk1: <Tex tex="x_{k-1}" />,
            }}
          />
        }
        kind="seq"
      >
        <SequenceBars
          values={win ? win.aligned : new Float64Array(L).fill(Number.NaN)}
          width={width}
          label={t('conv.alignedLabel', { k: formatNumber(k) })}
          active={k - 1}
          tone="kernel"
          domain={kDomain}
          name={(i) => (win && i < k ? `K̄_${k - 1 - i}` : `[${i + 1}]`)}
        />
      </Captioned>
      <OutputRow
        r={r}
        k={k}
        width={width}
        caption={
          <Trans
            t={t}
            i18nKey="conv.output"
            components={{ y: <Tex tex="y = \bar K * x + Dx" />, yk: <Tex tex="y_k" /> }}
          />
        }
        values={r.outputs.yConv}
        dots={r.outputs.yRec}
        label={t('conv.outputLabel')}
        testId="conv-output"
      />
      <p className="conv-sum" data-testid="conv-sum">
        {win ? (
          <Trans
            t={t}
            i18nKey="conv.sum"
            values={{
              sum: fmt3(win.y),
              conv: fmt3(r.outputs.yConv[k - 1]),
              rec: fmt3(r.outputs.yRec[k - 1]),
              device: r.backend === 'webgpu' ? 'GPU' : 'CPU',
            }}
            components={{
              b: <b />,
              eq: <Tex tex={`y_{${k}} = \\sum_{j=0}^{${k - 1}} \\bar K_j\\, x_{${k}-j} + D\\,x_{${k}}`} />,
            }}
          />
        ) : (
          t('conv.stepHint')
        )}
      </p>
      <Check name="rec-conv" label={t('conv.check')} maxErr={check.maxErr} tolerance={check.tolerance} />
    </>
  );
}

export function ConvolutionView() {
  const r = useSsmResult();
  const { t } = useTranslation('ssm');
  const [ref, width] = useWidth<HTMLDivElement>(900);
  return (
    <TitledSection headingId="sec-conv" title={t('conv.heading')}>
      <p>
        <Trans
          t={t}
          i18nKey="conv.intro"
          components={{
            h0: <Tex tex="h_0 = 0" />,
            abar: <Sym s="Abar" tex="\bar A" />,
            bbar: <Sym s="Bbar" tex="\bar B" />,
            c: <Sym s="C" tex="C" />,
          }}
        />
      </p>
      <MathBlock tex={ssmTex.unroll} label={t('math.unroll')} />
      <MathBlock tex={ssmTex.kernel} label={t('math.kernel')} />
      <MathBlock tex={ssmTex.convolution} label={t('math.convolution')} />
      <p>
        <Trans
          t={t}
          i18nKey="conv.outro"
          components={{
            kbar: <Sym s="K" tex="\bar K" />,
            k: <Tex tex="k" />,
            L: <Tex tex="L" />,
            on: <Tex tex="O(N)" />,
          }}
        />
      </p>
      <div ref={ref} className="view view-conv">
        {r ? <Body r={r} width={width} /> : <p className="placeholder">{t('computing')}</p>}
      </div>
    </TitledSection>
  );
}
