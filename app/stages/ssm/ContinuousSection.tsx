// Section 1: the continuous system in KaTeX beside its data-flow diagram, with the four steps in words.

import { TitledSection } from '../../components/parts';
import { Sym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { Trans, useTranslation } from '../../i18n';
import { DataFlowDiagram } from './DataFlowDiagram';
import { MathBlock } from './MathBlock';
import { ssmTex } from './tex';

const STEPS = [
  { key: 'B', tex: String.raw`B\,x(t)` },
  { key: 'A', tex: String.raw`A\,h(t)` },
  { key: 'C', tex: String.raw`C\,h(t)` },
  { key: 'D', tex: String.raw`D\,x(t)` },
] as const;

export function ContinuousSection() {
  const { t } = useTranslation('ssm');
  return (
    <TitledSection headingId="sec-continuous" title={t('continuous.heading')}>
      <div className="split">
        <div>
          <MathBlock tex={ssmTex.continuous} label={t('math.continuous')} />
          <MathBlock tex={ssmTex.shapes} label={t('math.shapes')} />
          <ol className="steps">
            {STEPS.map((s) => (
              <li key={s.key}>
                <Trans
                  t={t}
                  i18nKey={`continuous.step${s.key}`}
                  components={{ sym: <Sym s={s.key} tex={s.key} />, eq: <Tex tex={s.tex} /> }}
                />
              </li>
            ))}
          </ol>
        </div>
        <DataFlowDiagram />
      </div>
    </TitledSection>
  );
}
