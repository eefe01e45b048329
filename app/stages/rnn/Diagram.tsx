// The rnn stage's interactive part, in reading order: the sentence and sizes, the Elman recurrence
// unrolled and stepped, why it trains step by step and decodes at a constant cost, fading memory, the LSTM.

import '../../styles/rnn.css';
import { ParamControls } from '../../components/ParamControls';
import { PlaybackControls } from '../../components/PlaybackControls';
import { useTranslation } from '../../i18n';
import { ElmanBody, ElmanIntro } from './ElmanView';
import { LstmView } from './LstmView';
import { MemoryView } from './MemoryView';
import { rnnStageParams } from './params';
import { References } from './References';
import { SequentialView } from './SequentialView';

export function RnnDiagram() {
  const { t } = useTranslation('rnn');
  return (
    <div className="rnn">
      <fieldset className="setup">
        <legend className="visually-hidden">{t('setupLegend')}</legend>
        <ParamControls specs={rnnStageParams} keys={['text', 'H', 'd', 'seed']} />
      </fieldset>
      <div className="playzone">
        <ElmanIntro />
        <PlaybackControls />
        <ElmanBody />
      </div>
      <SequentialView />
      <MemoryView />
      <LstmView />
      <References />
    </div>
  );
}
