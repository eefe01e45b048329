// The map of the stages: every stage in order with what it teaches and its state, built stages as links
// that open them here, the coming ones as links that say so (the page then explains and falls back).

import { useTranslation } from '../../i18n';
import { useApp } from '../../store';
import { stages } from '../registry';
import { defaultParams } from '../types';

export function StageMap() {
  const { t } = useTranslation('intro');
  const { t: tc } = useTranslation('common');
  const current = useApp((s) => s.stageId);
  const setStage = useApp((s) => s.setStage);
  return (
    <ol className="stage-map" data-testid="stage-map">
      {stages.map((st, i) => (
        <li key={st.id} data-state={st.status} data-testid={`map-${st.id}`}>
          <span className="path-n" aria-hidden="true">
            {i}
          </span>
          <a
            href={`?stage=${st.id}`}
            aria-current={st.id === current ? 'page' : undefined}
            onClick={(e) => {
              if (st.status !== 'built' || st.id === current) return;
              e.preventDefault();
              setStage(st.id, defaultParams(st.params));
            }}
          >
            {tc(`stages.${st.id}.title`)}
          </a>{' '}
          <small className={`map-state map-${st.status}`}>
            {st.id === current ? t('map.here') : st.status === 'built' ? tc('path.built') : tc('path.coming')}
          </small>
          <p>{t(`map.${st.id}`)}</p>
        </li>
      ))}
    </ol>
  );
}
