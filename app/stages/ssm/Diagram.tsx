// The ssm stage's interactive part: the four sections in reading order, all driven by the store.

import { ParamControls } from '../../components/ParamControls';
import { PlaybackControls } from '../../components/PlaybackControls';
import { useTranslation } from '../../i18n';
import { ContinuousSection } from './ContinuousSection';
import { ConvolutionView } from './ConvolutionView';
import { DiscretizationSection } from './DiscretizationSection';
import { ssmStageParams } from './params';
import { RecurrentBody, RecurrentIntro } from './RecurrentView';

export function SsmDiagram() {
  const { t } = useTranslation('ssm');
  return (
    <>
      <fieldset className="setup">
        <legend className="visually-hidden">{t('setup')}</legend>
        <ParamControls specs={ssmStageParams} keys={['signal', 'L', 'N']} />
      </fieldset>
      <ContinuousSection />
      <DiscretizationSection />
      <div className="playzone">
        <RecurrentIntro />
        <PlaybackControls />
        <RecurrentBody />
        <ConvolutionView />
      </div>
    </>
  );
}
