// Play/pause, step back, step forward, scrubber and speed, with ARIA labels. The keyboard shortcuts
// (space, arrow keys) live in runtime/keyboard.ts. Test contract: play, step-back, step-forward, scrubber,
// step-counter ("k / n").

import { useTranslation } from '../i18n';
import { appStore, useApp } from '../store';

const SPEEDS = [1, 2, 4, 8, 16, 32];

const ICONS = {
  back: 'M6 5h2v14H6zM20 5v14L9 12z',
  forward: 'M16 5h2v14h-2zM4 5v14l11-7z',
  play: 'M7 4v16l13-8z',
  pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
};

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}

/** A playback button: an icon, its ARIA label and tooltip, and the test id of the contract. */
function IconButton(props: {
  testId: string;
  icon: string;
  label: string;
  title: string;
  onClick: () => void;
  disabled?: boolean;
  pressed?: boolean;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={props.className}
      data-testid={props.testId}
      // aria-disabled, not disabled: a focused button that reaches the end keeps the focus (a disabled one
      // drops it to the page body).
      onClick={props.disabled ? undefined : props.onClick}
      aria-disabled={props.disabled || undefined}
      aria-label={props.label}
      aria-pressed={props.pressed}
      title={props.title}
    >
      <Icon d={props.icon} />
    </button>
  );
}

export function PlaybackControls() {
  const k = useApp((s) => s.k);
  const n = useApp((s) => s.n);
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const busy = useApp((s) => s.compute.status === 'ready' && s.steps.length < s.k);
  const { togglePlay, stepBack, stepForward, seek, setSpeed } = appStore().getState();
  const { t } = useTranslation('common');
  /** step-back and step-forward: one step, disabled (but focusable) at either end. */
  const stepButton = (dir: 'back' | 'forward', onClick: () => void, disabled: boolean) => {
    const Dir = dir === 'back' ? 'Back' : 'Forward';
    return (
      <IconButton
        testId={`step-${dir}`}
        icon={ICONS[dir]}
        label={t(`playback.step${Dir}`)}
        title={t(`playback.step${Dir}Title`)}
        onClick={onClick}
        disabled={disabled}
      />
    );
  };
  return (
    <fieldset className="playback">
      <legend className="visually-hidden">{t('playback.legend')}</legend>
      {stepButton('back', stepBack, k <= 0)}
      <IconButton
        testId="play"
        className="play"
        icon={playing ? ICONS.pause : ICONS.play}
        label={playing ? t('playback.pause') : t('playback.play')}
        title={playing ? t('playback.pause') : t('playback.play')}
        onClick={togglePlay}
        pressed={playing}
      />
      {stepButton('forward', stepForward, k >= n)}
      <input
        type="range"
        className="scrubber"
        data-testid="scrubber"
        min={0}
        max={n}
        step={1}
        value={k}
        onChange={(e) => seek(Number(e.currentTarget.value))}
        aria-label={t('playback.scrubber')}
        aria-valuetext={t('playback.valueText', { k, n })}
      />
      {/* The live region that narrates steps is the Narrator's (quiet while playing); this is just text. */}
      <span className="counter" data-testid="step-counter" aria-busy={busy}>
        {k} / {n}
      </span>
      <span className="computing" aria-hidden="true">
        {busy ? t('playback.computing', { k }) : ''}
      </span>
      <label className="speed">
        <span className="visually-hidden">{t('playback.speed')}</span>
        <select
          value={speed}
          data-testid="speed"
          onChange={(e) => setSpeed(Number(e.currentTarget.value))}
          aria-label={t('playback.speed')}
        >
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {t('playback.speedOption', { v })}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
