// The race's hooks: the store's typed result, and the race controller. Run starts the suite in the page on
// the current GPU (inputs drawn in a worker, a yield to the event loop between rows); every row updates the
// report (the plots and the table fill in); at the end the store's `ran` becomes the last row's dispatches
// (the GPU panel and the kernel view); Stop lets the row in flight finish and skips the rest. Leaving the stage or changing the
// plan stops it too.

import { useCallback, useEffect, useRef, useState } from 'react';
import { raceStage } from '../../../engine';
import { currentGpu } from '../../runtime/gpu';
import { appStore } from '../../store';
import { useStageResult } from '../../store/stageHooks';
import { inputWorker } from './inputs';
import { type RaceResult, rowRan } from './runtime';

export const useRaceResult = () => useStageResult<RaceResult>();

export type RacePhase = 'idle' | 'running' | 'stopping' | 'done' | 'stopped' | 'error';

export interface RaceState {
  phase: RacePhase;
  report: raceStage.Report | null;
  done: number;
  total: number;
  /** The label of the last finished row (for the progress text). */
  last: string;
  error: string | null;
}

const IDLE: RaceState = { phase: 'idle', report: null, done: 0, total: 0, last: '', error: null };

/** A macrotask, so input, paint and the reader's Stop run between rows. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A copy React sees as new (the suite keeps appending to the same report object). */
const snapshot = (r: raceStage.Report): raceStage.Report => ({
  ...r,
  rows: [...r.rows],
  comparisons: [...r.comparisons],
});

export function useRace(plan: raceStage.RacePlan | null) {
  const [state, setState] = useState<RaceState>(IDLE);
  const stop = useRef(false);
  const running = useRef(false);

  const start = useCallback(async () => {
    const gpu = currentGpu();
    if (!plan || !gpu || running.current) return;
    running.current = true;
    stop.current = false;
    setState({ ...IDLE, phase: 'running' });
    const inputs = inputWorker(plan.sizes);
    let last: raceStage.RunRecord | null = null;
    raceStage.setInputSource(inputs.source);
    try {
      const report = await raceStage.runRace(gpu, plan, {
        total: (n) => setState((s) => ({ ...s, total: n })),
        step: (done, label) => setState((s) => ({ ...s, done, last: label })),
        report: (r) => setState((s) => ({ ...s, report: snapshot(r) })),
        ran: (_row, rec) => {
          last = rec;
        },
        stopped: () => stop.current,
        between: yieldToPage,
      });
      setState((s) => ({
        ...s,
        report: snapshot(report),
        done: s.total,
        phase: stop.current ? 'stopped' : 'done',
      }));
    } catch (err) {
      setState((s) => ({ ...s, phase: 'error', error: err instanceof Error ? err.message : String(err) }));
    } finally {
      // The GPU panel and the kernel view show the last row that ran, once, in a task of their own after
      // the run's last render (redrawing them after every row cost the page long tasks).
      if (last) {
        const rec: raceStage.RunRecord = last;
        setTimeout(() => {
          const store = appStore().getState();
          const result = store.compute.result as RaceResult | null;
          if (result && store.compute.status === 'ready' && result.plan === plan)
            store.setComputeReady({ ...result, ran: rowRan(rec) }, 'webgpu');
        }, 0);
      }
      raceStage.setInputSource(null);
      inputs.close();
      running.current = false;
    }
  }, [plan]);

  const requestStop = useCallback(() => {
    if (!running.current) return;
    stop.current = true;
    setState((s) => ({ ...s, phase: 'stopping' }));
  }, []);

  // A new plan (params changed) or leaving the stage stops the run in flight.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cleanup runs when the plan changes.
  useEffect(
    () => () => {
      stop.current = true;
    },
    [plan],
  );

  return { state, start, stop: requestStop };
}
