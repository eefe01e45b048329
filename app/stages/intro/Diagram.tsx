// The intro stage's interactive part, in reading order: the sentence and L; what each model holds and
// reads per generated token (charts); the table with its two live checks; the engine badge; the map of
// the stages; the papers. Everything is read from the store's result of one engine run.

import '../../styles/intro.css';
import { Check } from '../../components/Check';
import { ParamControls } from '../../components/ParamControls';
import { formatNumber, useTranslation } from '../../i18n';
import { BackendNote } from './BackendNote';
import { decodeCheck, MODELS, memoryCheck, modelRows, modelSeries } from './figures';
import { GrowthChart } from './GrowthChart';
import { useIntroResult } from './hooks';
import { ModelTable } from './ModelTable';
import { introStageParams } from './params';
import { References } from './References';
import { StageMap } from './StageMap';

const CJK = /[\u3400-\u9fff\u3040-\u30ff\uac00-\ud7af]/u;

/** The two charts: what a model holds after token t, and what generating token t read. */
const CHARTS = [
  ['state', 'stateBytes'],
  ['token', 'tokenBytes'],
] as const;

export function IntroDiagram() {
  const { t } = useTranslation('intro');
  const r = useIntroResult();
  const L = r?.params.L ?? 0;
  const series = (key: 'stateBytes' | 'tokenBytes') =>
    r ? MODELS.map((_, i) => modelSeries(r.outputs[key], i, L)) : [];
  return (
    <>
      <fieldset className="setup">
        <legend className="visually-hidden">{t('setup.legend')}</legend>
        <ParamControls specs={introStageParams} />
        {r && (
          <p className="tokens" data-testid="intro-tokens">
            {t('setup.tokens', { n: formatNumber(r.words.length), L: formatNumber(L) })}{' '}
            <span lang={CJK.test(r.params.text) ? undefined : 'en'}>
              {r.words.map((w, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a token's identity is its position.
                <span key={i} className="token">
                  {w}
                </span>
              ))}
            </span>
          </p>
        )}
      </fieldset>
      {r && (
        <>
          <section className="section">
            <h3>{t('chart.title')}</h3>
            <p>{t('chart.lead', { L: formatNumber(L) })}</p>
            <div className="growth-pair">
              {CHARTS.map(([kind, key]) => (
                <figure key={kind}>
                  <figcaption>{t(`chart.${kind}`)}</figcaption>
                  <GrowthChart
                    series={series(key)}
                    caption={t(`chart.${kind}Caption`, { L })}
                    testId={`chart-${kind}`}
                  />
                </figure>
              ))}
            </div>
          </section>
          <section className="section">
            <h3>{t('table.title')}</h3>
            <p>{t('table.lead')}</p>
            <ModelTable rows={modelRows(r)} L={L} />
            <Check name="decode" label={t('checks.decode')} {...decodeCheck(r)} />
            <Check
              name="memory"
              label={r.backend === 'webgpu' ? t('checks.memoryGpu') : t('checks.memoryCpu')}
              {...memoryCheck(r)}
            />
          </section>
        </>
      )}
      <section className="section">
        <h3>{t('badge.title')}</h3>
        <BackendNote />
      </section>
      <section className="section">
        <h3>{t('map.title')}</h3>
        <StageMap />
      </section>
      <section className="section">
        <h3>{t('papers.title')}</h3>
        <References />
      </section>
    </>
  );
}
