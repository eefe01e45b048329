// The playback clock keeps the chosen speed whether or not steps are read back, and never drifts.

import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/createAppStore';
import { type ClockDeps, startClock } from './clock';

/** A manual clock: timers fire when the test advances time (each one at its own due time). */
function manualTime() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const deps: ClockDeps = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  /** Advances to t, firing due timers in order; each fires `late` ms after it was due. */
  const advance = (t: number, late = 0) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const first = timers[0];
      if (!first || first.at + late > t) break;
      timers.shift();
      now = first.at + late;
      first.fn();
    }
    now = t;
  };
  return { deps, advance };
}

const store = (n: number) => createAppStore({ steps: () => n }, { stageId: 'x', params: {}, k: 0 });

/** A store of n steps, its clock on manual time, playing at `speed` steps a second. */
function playing(n: number, speed: number) {
  const s = store(n);
  const time = manualTime();
  startClock(s, time.deps);
  s.getState().setSpeed(speed);
  s.getState().play();
  return { s, time };
}

describe('playback clock', () => {
  it('at 1/s advances one step a second although no step has been read back', () => {
    const { s, time } = playing(100, 1);
    time.advance(10_000);
    expect(s.getState().k).toBe(10);
    expect(s.getState().steps).toHaveLength(0);
  });

  it('at 4/s advances four steps a second, even when every timer fires 30 ms late', () => {
    const { s, time } = playing(100, 4);
    time.advance(5_000, 30);
    expect(s.getState().k).toBeGreaterThanOrEqual(19);
    expect(s.getState().k).toBeLessThanOrEqual(20);
  });

  it('pauses at the last step and stops when paused', () => {
    const { s, time } = playing(3, 2);
    time.advance(10_000);
    expect(s.getState().k).toBe(3);
    expect(s.getState().playing).toBe(false);
    s.getState().seek(0);
    s.getState().play();
    time.advance(10_600);
    s.getState().pause();
    time.advance(20_000);
    expect(s.getState().k).toBe(1);
  });

  it('a new speed takes effect from the moment it is chosen', () => {
    const { s, time } = playing(1000, 1);
    time.advance(2_000);
    s.getState().setSpeed(8);
    time.advance(3_000);
    expect(s.getState().k).toBe(2 + 8);
  });
});
