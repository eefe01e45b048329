// The path through the explainer: every stage in order with its state. Built stages are links; the others
// are marked "coming" and inert.

import { useEffect, useRef } from 'react';
import { useTranslation } from '../i18n';
import { builtStages, stages } from '../stages/registry';
import { defaultParams } from '../stages/types';
import { useApp } from '../store';

export function StagePath() {
  const current = useApp((s) => s.stageId);
  const setStage = useApp((s) => s.setStage);
  const offered = useApp((s) => s.embedding.stages);
  const { t } = useTranslation('common');
  const list = useRef<HTMLOListElement>(null);
  // On narrow screens the path scrolls sideways: bring the current stage into view without scrolling
  // the page (scrollIntoView would also scroll a course page around its iframe).
  useEffect(() => {
    const reveal = () => {
      const ol = list.current;
      const li = ol?.querySelector<HTMLElement>('li.current');
      if (ol && li && ol.scrollWidth > ol.clientWidth) ol.scrollLeft = li.offsetLeft - ol.offsetLeft - 12;
    };
    reveal();
    window.addEventListener('resize', reveal);
    return () => window.removeEventListener('resize', reveal);
  }, []);
  return (
    <nav className="path" aria-label={t('path.label')}>
      <ol ref={list}>
        {stages.map((st, i) =>
          offered && !offered.includes(st.id) ? null : (
            <li
              key={st.id}
              className={st.id === current ? 'current' : st.status}
              data-testid={`path-${st.id}`}
              data-state={st.status}
            >
              {st.status === 'coming' ? (
                <span aria-disabled="true" title={t('path.notBuilt')}>
                  <span className="path-n" aria-hidden="true">
                    {i}
                  </span>
                  {t(`stages.${st.id}.short`)} <small>{t('path.coming')}</small>
                </span>
              ) : (
                <a
                  href={`?stage=${st.id}`}
                  aria-current={st.id === current ? 'page' : undefined}
                  title={t(`stages.${st.id}.title`)}
                  onClick={(e) => {
                    e.preventDefault();
                    const def = builtStages.find((b) => b.id === st.id);
                    if (def && st.id !== current) setStage(def.id, defaultParams(def.params));
                  }}
                >
                  <span className="path-n" aria-hidden="true">
                    {i}
                  </span>
                  {t(`stages.${st.id}.short`)}
                </a>
              )}
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
