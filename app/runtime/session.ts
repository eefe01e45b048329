// Keeps the engine in step with the store: recomputes the stage when the stage, params or GPU change, and
// runs the stepper until the read-back cache reaches the playback step k. Stale runs are dropped by token;
// a superseded stepper is disposed (the engine frees its buffers only after a step in flight). On the CPU
// backend the stage's runtime runs in a Web Worker (cpuBackend.ts), so the page stays responsive. On WebGPU
// the stage's sizes are first fitted to the device's binding limit (StageRuntime.fit).

import type { Gpu, Stepper } from '../../engine';
import { formatBytes } from '../i18n';
import { findBuiltStage } from '../stages/registry';
import type { BuiltStage, StageRuntime } from '../stages/types';
import type { AppStore } from '../store/createAppStore';
import { cpuRuntime } from './cpuBackend';
import { currentGpu } from './gpu';

export interface SessionDeps {
  findStage(id: string): BuiltStage | undefined;
  gpu(): Gpu | null;
  /** The stage's runtime on the CPU backend (the worker's, on the page). */
  cpu(stage: BuiltStage): Pick<StageRuntime, 'run' | 'createStepper'>;
}

/** How often a burst of read-back steps reaches the store. */
const FLUSH_MS = 60;

const defaultDeps: SessionDeps = {
  findStage: findBuiltStage,
  gpu: currentGpu,
  cpu: (stage) => cpuRuntime(stage.id),
};

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Sizes past what the device holds in one binding are clamped before the run: the store (so the controls,
 * the playback length, the URL and the embed's state) takes the sizes that run, and a notice says what was
 * asked, what the device allows and what is shown. True when it clamped: the params change starts the run.
 */
function clampToDevice(store: AppStore, stage: BuiltStage, gpu: Gpu): boolean {
  const fit = stage.runtime.fit?.(store.getState().params, gpu.limits);
  if (!fit || fit.clamped.length === 0) return false;
  const need = formatBytes(fit.needed);
  const allowed = formatBytes(fit.allowed);
  const fresh = fit.clamped.map((c) => ({
    key: 'notice.limit',
    values: { param: c.key, asked: String(c.asked), shown: String(c.shown), need, allowed },
  }));
  // One such notice per size, the latest: dragging a slider past the limit does not pile them up.
  const clampedKeys = new Set(fit.clamped.map((c) => c.key));
  const { notices, dismissNotices, addNotices, setParams } = store.getState();
  const kept = notices.filter((n) => n.key !== 'notice.limit' || !clampedKeys.has(String(n.values?.param)));
  if (kept.length < notices.length) dismissNotices();
  addNotices(kept.length < notices.length ? [...kept, ...fresh] : fresh);
  setParams({ ...fit.params });
  return true;
}

export function startSession(store: AppStore, deps: SessionDeps = defaultDeps): () => void {
  let token = 0;
  let stepper: Stepper<unknown> | null = null;
  let filling = false;

  let inFlight = false;
  let again = false;

  /** One run at a time: changes that arrive while a run is in flight coalesce into one more run. */
  async function recompute(): Promise<void> {
    if (inFlight) {
      again = true;
      token++;
      return;
    }
    inFlight = true;
    try {
      do {
        again = false;
        await runOnce();
      } while (again);
    } finally {
      inFlight = false;
    }
  }

  async function runOnce(): Promise<void> {
    const my = ++token;
    stepper?.dispose();
    stepper = null;
    const s = store.getState();
    if (s.gpu.state === 'pending') return;
    const stage = deps.findStage(s.stageId);
    if (!stage) return;
    const gpu = deps.gpu();
    if (gpu && clampToDevice(store, stage, gpu)) return;
    s.setComputeRunning();
    const exec = gpu ? stage.runtime : deps.cpu(stage);
    try {
      const result = await exec.run(gpu, s.params);
      if (my !== token) return;
      const next = await exec.createStepper(result.backend === 'webgpu' ? gpu : null, s.params, result);
      if (my !== token) {
        next.dispose();
        return;
      }
      stepper = next;
      store.getState().setComputeReady(result, result.backend);
      void fill();
    } catch (err) {
      if (my === token) store.getState().setComputeError(message(err));
    }
  }

  /**
   * Steps the stepper until the cache reaches k. Steps read back in a burst (a jump to the end) reach the
   * store in batches, at most one every FLUSH_MS, so the views render a few times, not once per step.
   */
  async function fill(): Promise<void> {
    if (filling) return;
    filling = true;
    const mine = stepper;
    let batch: unknown[] = [];
    let flushed = Date.now();
    const flush = () => {
      if (batch.length > 0 && stepper === mine) store.getState().appendSteps(batch);
      batch = [];
      flushed = Date.now();
    };
    try {
      while (mine && stepper === mine) {
        const s = store.getState();
        if (s.steps.length + batch.length >= s.k || s.compute.status !== 'ready') break;
        const r = await mine.step();
        if (stepper !== mine) break;
        batch.push(r);
        if (Date.now() - flushed >= FLUSH_MS) flush();
      }
      flush();
      store.getState().setStepError(null);
    } catch (err) {
      flush();
      if (stepper === mine) store.getState().setStepError(message(err));
    } finally {
      filling = false;
    }
    const s = store.getState();
    if (stepper && stepper !== mine && s.steps.length < s.k) void fill();
  }

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.stageId !== prev.stageId || s.params !== prev.params || s.gpu.generation !== prev.gpu.generation)
      void recompute();
    else if (s.k !== prev.k && s.steps.length < s.k) void fill();
  });
  void recompute();
  return () => {
    unsubscribe();
    token++;
    stepper?.dispose();
    stepper = null;
  };
}
