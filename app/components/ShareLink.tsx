// A link to exactly this view (stage, params, step). Inside a course iframe the reader has no address bar,
// so there it opens the view in a new tab.

import { useTranslation } from '../i18n';
import { findBuiltStage } from '../stages/registry';
import { useApp } from '../store';
import { buildSearch } from '../url';

export function ShareLink() {
  const stageId = useApp((s) => s.stageId);
  const params = useApp((s) => s.params);
  const k = useApp((s) => s.k);
  const forceCpu = useApp((s) => s.gpu.forcedCpu);
  const lang = useApp((s) => (s.langChosen ? s.lang : null));
  const theme = useApp((s) => s.theme);
  const { t } = useTranslation('common');
  const stage = findBuiltStage(stageId);
  if (!stage) return null;
  const search = buildSearch({ stageId, params: { ...params }, k, forceCpu, lang, theme }, stage);
  const embedded = typeof window !== 'undefined' && window.parent !== window;
  return (
    <a
      className="share"
      data-testid="share-link"
      href={`./${search}`}
      target={embedded ? '_blank' : undefined}
      rel={embedded ? 'noopener' : undefined}
      title={t('share.title')}
    >
      {embedded ? t('share.newTab') : t('share.link')}
    </a>
  );
}
