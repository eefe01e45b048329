// The intro stage's text: sequence modelling as compressing the context into a state, from the RNN's
// fixed vector to attention's growing cache and the models in between, and how to read the page.
// Words from the catalog (app/locales/<lang>/intro.json), math from tex.ts, symbols linked to the chart.

import { Sym } from '../../components/Sym';
import { Tex } from '../../components/Tex';
import { Trans, useTranslation } from '../../i18n';
import { introTex } from './tex';

export function IntroProse() {
  const { t } = useTranslation('intro');
  const syms = {
    h: <Sym s="h" tex={introTex.h} />,
    kv: <Sym s="kv" tex={introTex.kv} />,
    S: <Sym s="S" tex={introTex.S} />,
    b: <b />,
  };
  const p = (key: string) => <Trans t={t} i18nKey={key} components={syms} />;
  return (
    <div className="prose">
      <p>{p('prose.p1')}</p>
      <Tex tex={introTex.state} display />
      <p>{p('prose.p2')}</p>
      <Tex tex={introTex.rnn} display />
      <p>{p('prose.p3')}</p>
      <Tex tex={introTex.attention} display />
      <p>{p('prose.p4')}</p>
      <p>{p('prose.p5')}</p>
      <p className="notation">{p('prose.p6')}</p>
    </div>
  );
}
