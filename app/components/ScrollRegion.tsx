// Wide content (a big matrix, a long sequence, display math) scrolls sideways inside a focusable region
// instead of clipping or widening the page; keyboard readers scroll it with the arrow keys.

import type { ReactNode } from 'react';
import { useTranslation } from '../i18n';

export function ScrollRegion({
  label,
  children,
  className = '',
}: {
  label: string;
  children: ReactNode;
  className?: string;
}) {
  const { t } = useTranslation('common');
  return (
    <section
      className={`scroll-region ${className}`.trim()}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
      aria-label={t('values.region', { label })}
      onKeyDown={(e) => {
        // Arrow keys scroll the region; they must not also step the playback.
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') e.stopPropagation();
      }}
    >
      {children}
    </section>
  );
}
