// Play/pause, step back, step forward, scrubber and speed, with ARIA labels. The keyboard shortcuts
// (space, arrow keys) live in runtime/keyboard.ts. Test contract: play, step-back, step-forward, scrubber,
// step-counter ("k / n").

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

export function PlaybackControls() {
  const k = useApp((s) => s.k);
  const n = useApp((s) => s.n);
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const busy = useApp((s) => s.compute.status === 'ready' && s.steps.length < s.k);
  const { togglePlay, stepBack, stepForward, seek, setSpeed } = appStore().getState();
  return (
    <fieldset className="playback">
      <legend className="visually-hidden">Playback</legend>
      <button
        type="button"
        data-testid="step-back"
        onClick={stepBack}
        disabled={k <= 0}
        aria-label="Step back (left arrow)"
        title="Step back (←)"
      >
        <Icon d={ICONS.back} />
      </button>
      <button
        type="button"
        className="play"
        data-testid="play"
        onClick={togglePlay}
        aria-label={playing ? 'Pause (space)' : 'Play (space)'}
        aria-pressed={playing}
        title={playing ? 'Pause (space)' : 'Play (space)'}
      >
        <Icon d={playing ? ICONS.pause : ICONS.play} />
      </button>
      <button
        type="button"
        data-testid="step-forward"
        onClick={stepForward}
        disabled={k >= n}
        aria-label="Step forward (right arrow)"
        title="Step forward (→)"
      >
        <Icon d={ICONS.forward} />
      </button>
      <input
        type="range"
        className="scrubber"
        data-testid="scrubber"
        min={0}
        max={n}
        step={1}
        value={k}
        onChange={(e) => seek(Number(e.currentTarget.value))}
        aria-label="Step"
        aria-valuetext={`step ${k} of ${n}`}
      />
      <span
        className="counter"
        data-testid="step-counter"
        aria-live={playing ? 'off' : 'polite'}
        aria-busy={busy}
      >
        {k} / {n}
      </span>
      <label className="speed">
        <span className="visually-hidden">Speed (steps per second)</span>
        <select
          value={speed}
          onChange={(e) => setSpeed(Number(e.currentTarget.value))}
          aria-label="Speed, steps per second"
        >
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}/s
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
