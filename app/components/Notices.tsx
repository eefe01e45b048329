// Visible messages for the reader: malformed URL values and what was used instead, in the reader's
// language (catalog keys notice.* with their values; a bad value is quoted to at most 80 characters).

import { Trans, useTranslation } from '../i18n';
import type { Notice } from '../stages/types';
import { useApp } from '../store';

function NoticeText({ notice }: { notice: Notice }) {
  const { t } = useTranslation('common');
  const v = notice.values ?? {};
  const values: Record<string, unknown> = { ...v };
  if (typeof v.stage === 'string') values.stageTitle = t(`stages.${v.stage}.title`);
  if (typeof v.fallback === 'string') values.fallbackTitle = t(`stages.${v.fallback}.title`);
  if (typeof v.reason === 'string') values.reasonText = t(v.reason, v);
  return <Trans t={t} i18nKey={notice.key} values={values} components={{ code: <code /> }} />;
}

export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotices);
  const { t } = useTranslation('common');
  if (notices.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="url-message">
      <ul>
        {notices.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: notices are only ever appended or cleared.
          <li key={i}>
            <NoticeText notice={m} />
          </li>
        ))}
      </ul>
      <button type="button" onClick={dismiss} aria-label={t('notices.dismissLabel')}>
        {t('notices.dismiss')}
      </button>
    </div>
  );
}
