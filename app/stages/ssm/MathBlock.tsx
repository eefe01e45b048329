// Display math that never clips: when the equation is wider than its column (a 360px phone, the projector
// theme's larger type) its box becomes a focusable, labelled region that scrolls sideways, as the kit's
// ScrollRegion does; when it fits it is plain math, with no tab stop and no "scrolls" in its name.

import { useLayoutEffect, useRef, useState } from 'react';
import { Tex } from '../../components/Tex';
import { useTranslation } from '../../i18n';

export function MathBlock({ tex, label }: { tex: string; label: string }) {
  const { t } = useTranslation('common');
  const ref = useRef<HTMLElement>(null);
  const [wide, setWide] = useState(false);
  const measure = () => {
    const el = ref.current;
    if (el) setWide(el.scrollWidth > el.clientWidth + 1);
  };
  // When the equation changes (h_k's k) and whenever the column resizes — not after every render: reading
  // scrollWidth forces a layout, and a step re-renders every block (a long task on the CPU backend).
  // biome-ignore lint/correctness/useExhaustiveDependencies: measure reads the DOM; tex is what changes it.
  useLayoutEffect(measure, [tex]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWide(el.scrollWidth > el.clientWidth + 1));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return (
    // A <section> with a name is a region; without one (when it fits) it is a plain box.
    <section
      ref={ref}
      className={wide ? 'math-block scroll-region wide' : 'math-block'}
      // A region that scrolls must be reachable by keyboard.
      tabIndex={wide ? 0 : undefined}
      aria-label={wide ? t('values.region', { label }) : undefined}
      onKeyDown={(e) => {
        // Arrow keys scroll the region; they must not also step the playback.
        if (wide && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) e.stopPropagation();
      }}
    >
      <Tex tex={tex} display />
    </section>
  );
}
