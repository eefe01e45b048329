// The one live region that narrates the stage: when the reader steps (not while playing), the step and
// the stage's own sentence for it; a check only when its verdict changes. While playing it stays quiet,
// and it speaks at most once a second.

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n';
import type { BuiltStage } from '../stages/types';
import { useApp } from '../store';

export function Narrator({ stage }: { stage: BuiltStage }) {
  const k = useApp((s) => s.k);
  const n = useApp((s) => s.n);
  const playing = useApp((s) => s.playing);
  const result = useApp((s) => s.compute.result);
  const steps = useApp((s) => s.steps);
  const { t } = useTranslation(stage.id);
  const { t: tc } = useTranslation('common');
  const [text, setText] = useState('');
  const last = useRef({ at: 0, k: -1, text: '' });
  const stepReady = k === 0 || steps.length >= k;

  useEffect(() => {
    if (!stage.playback || playing || !stepReady) return;
    if (last.current.k === k) return;
    const own = stage.narrate?.(t as never, k, result, steps) ?? '';
    const next = `${tc('narration.step', { k, n })} ${own}`.trim();
    const now = Date.now();
    const wait = Math.max(0, 1000 - (now - last.current.at));
    const timer = setTimeout(() => {
      last.current = { at: Date.now(), k, text: next };
      setText(next);
    }, wait);
    return () => clearTimeout(timer);
  }, [k, n, playing, stepReady, result, steps, stage, t, tc]);

  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="narration">
      {text}
    </p>
  );
}
