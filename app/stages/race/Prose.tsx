// The race's text: what is timed, why the copy kernel is the ceiling, what compulsory traffic means, why
// each timed run follows a warm-up burst, and how to read a crossover against a paper's claim. Words from
// app/locales/<lang>/race.json, math from tex.ts.

import { ScrollRegion } from '../../components/ScrollRegion';
import { Tex } from '../../components/Tex';
import { Trans, useTranslation } from '../../i18n';
import { raceTex } from './tex';
import '../../styles/race.css';

export function RaceProse() {
  const { t } = useTranslation('race');
  const parts = { b: <b />, T: <Tex tex={raceTex.T} />, phi: <Tex tex={raceTex.phi} />, code: <code /> };
  const p = (key: string) => <Trans t={t} i18nKey={key} components={parts} />;
  // Display math scrolls inside a focusable region where it is wider than the column (360 px).
  const math = (key: keyof typeof raceTex) => (
    <ScrollRegion label={t(`math.${key}`)} className="race-math">
      <Tex tex={raceTex[key]} display />
    </ScrollRegion>
  );
  return (
    <div className="prose">
      <p>{p('prose.timed')}</p>
      <p>{p('prose.traffic')}</p>
      {math('traffic')}
      <p>{p('prose.ceiling')}</p>
      {math('bandwidth')}
      <p>{p('prose.warm')}</p>
      <p>{p('prose.crossover')}</p>
      {math('crossover')}
      <p>{p('prose.sizes')}</p>
    </div>
  );
}
