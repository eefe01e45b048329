// The attention stage's interactive part, in reading order: the sentence and Q, K, V of one head; its
// scores S and probabilities P; the outputs and the memory S takes; heads and grouped K/V heads; decoding
// with a growing KV cache; the measured cost of a decode step. All of it reads the store.

import '../../styles/attention.css';
import { useState } from 'react';
import { ParamControls } from '../../components/ParamControls';
import { useWidth } from '../../components/useWidth';
import { useTranslation } from '../../i18n';
import { CostSection } from './CostSection';
import { DecodeSection } from './DecodeSection';
import { HeadsSection } from './HeadsSection';
import { useAttentionResult } from './hooks';
import { OutputSection } from './OutputSection';
import { attentionStageParams } from './params';
import { QkvSection } from './QkvSection';
import { ScoresSection } from './ScoresSection';

export function AttentionDiagram() {
  const { t } = useTranslation('attention');
  const r = useAttentionResult();
  const [picked, setHead] = useState(0);
  const [ref, width] = useWidth<HTMLDivElement>();
  const head = r ? Math.min(picked, r.params.h - 1) : 0;
  return (
    <div ref={ref} className="attention">
      <fieldset className="setup">
        <legend className="visually-hidden">{t('setup')}</legend>
        <ParamControls specs={attentionStageParams} />
      </fieldset>
      {r ? (
        <>
          <QkvSection r={r} head={head} setHead={setHead} width={width} />
          <ScoresSection r={r} head={head} width={width} />
          <OutputSection r={r} head={head} width={width} />
          <HeadsSection r={r} head={head} width={width} />
          <DecodeSection r={r} head={head} width={width} />
          <CostSection r={r} width={width} />
        </>
      ) : (
        <p className="small">{t('computing')}</p>
      )}
    </div>
  );
}
