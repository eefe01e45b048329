// The ssm stage's introduction: what an SSM is, the notation used on screen, and where the numbers come
// from. Symbols in the text are linked to the diagram parts that draw them (Sym ↔ useSym).

import { useMemo } from 'react';
import { ssmStage } from '../../../engine';
import { Sym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { formatNumber, Trans, useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { MathBlock } from './MathBlock';
import { SSM_SEED, toSsmParams } from './runtime';
import { ssmTex } from './tex';

export function SsmProse() {
  const params = useApp((s) => s.params);
  // The program's own inputs (pure, on the CPU, no GPU work): D is there at the first paint, so the text
  // does not reflow when the run's result arrives.
  const D = useMemo(() => ssmStage.program.makeInputs(toSsmParams(params), SSM_SEED).D, [params]);
  const { t } = useTranslation('ssm');
  return (
    <div className="prose">
      <p>
        <Trans
          t={t}
          i18nKey="prose.intro"
          components={{
            b: <b />,
            x: <Sym s="x" tex="x(t)" />,
            y: <Sym s="y" tex="y(t)" />,
            h: <Sym s="h" tex="h(t) \in \mathbb{R}^N" />,
          }}
        />
      </p>
      <p className="notation">
        <Trans
          t={t}
          i18nKey="prose.notation"
          components={{
            b: <b />,
            x: <Sym s="x" tex="x" />,
            h: <Sym s="h" tex="h" />,
            y: <Sym s="y" tex="y" />,
            u: <Tex tex="u" />,
            xs: <Tex tex="x" />,
            k: <Tex tex="k = 1, \dots, L" />,
            hinit: <Tex tex="h_0 = 0" />,
            A: <Sym s="A" tex="A" />,
            NN: <Tex tex="N \times N" />,
            B: <Sym s="B" tex="B" />,
            C: <Sym s="C" tex="C" />,
            D: <Tex tex={`D = ${formatNumber(D)}`} />,
          }}
        />
      </p>
      <MathBlock tex={ssmTex.hippo} label={t('math.hippo')} />
      <p>{t('prose.live')}</p>
    </div>
  );
}
