// What the resilience specs (keyboard, csp, limits, fuzz) share: the built stages with their checks per
// backend and how to wait for them, a page that records CSP violations, a device that reports a small
// binding limit, and the markers of markup injected from a URL value.

import { expect, type Page } from '@playwright/test';
import { type Backend, openStage } from './helpers';

export interface StageCase {
  id: string;
  playback: boolean;
  /** The checks the stage shows on this backend, all ok once it has computed (and stepped, with playback). */
  checks(backend: Backend): readonly string[];
  /** A query that keeps the stage quick on a software GPU. */
  query: string;
  /** What shows the stage is ready, for a stage without checks. */
  readyTestId?: string;
  /** False where the GPU panel and kernel view stay empty until the reader starts a run (race). */
  panels: boolean;
}

/** Every built stage; race has no checks and computes only when the reader presses Run. */
export const STAGES: readonly StageCase[] = [
  { id: 'intro', playback: false, checks: () => ['decode', 'memory'], query: 'L=16', panels: true },
  {
    id: 'rnn',
    playback: true,
    checks: (b) =>
      b === 'webgpu' ? ['gpu-cpu', 'stepper-rnn', 'stepper-lstm'] : ['stepper-rnn', 'stepper-lstm'],
    query: '',
    panels: true,
  },
  {
    id: 'attention',
    playback: true,
    checks: (b) => (b === 'webgpu' ? ['flash-naive', 'gpu-cpu', 'decode'] : ['flash-naive', 'decode']),
    query: '',
    panels: true,
  },
  { id: 'ssm', playback: true, checks: () => ['rec-conv', 'stepper'], query: '', panels: true },
  {
    id: 'race',
    playback: false,
    checks: () => [],
    query: 'preset=decoding',
    readyTestId: 'race-run',
    panels: false,
  },
];

/** Waits until every check of the stage is computed and ok (intro compiles many kernels: a long wait). */
export async function expectChecksOk(page: Page, s: StageCase, backend: Backend): Promise<void> {
  if (s.readyTestId) await expect(page.getByTestId(s.readyTestId)).toBeVisible({ timeout: 60_000 });
  for (const name of s.checks(backend))
    await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-ok', 'true', { timeout: 150_000 });
}

/** Opens a stage on a backend (the CPU one by ?backend=cpu) with its quick query and `extra`. */
export async function openCase(page: Page, s: StageCase, backend: Backend, extra = ''): Promise<void> {
  const q = [s.query, backend === 'cpu' ? 'backend=cpu' : '', extra].filter(Boolean).join('&');
  await openStage(page, s.id, q);
  await expect(page.getByTestId('engine-backend')).toHaveText(new RegExp(`^${backend}`));
}

/** Collects every securitypolicyviolation event (CSP and Trusted Types) of the page and its frames. */
export async function recordViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sample}`,
      ),
    );
  });
  return violations;
}

/**
 * Makes every GPUDevice report `bytes` as its maxStorageBufferBindingSize (the real device keeps its own,
 * so what the engine allocates under the reported limit runs): a device smaller than this machine's.
 */
export async function smallBindingLimit(page: Page, bytes: number): Promise<void> {
  await page.addInitScript((limit) => {
    const proto = (globalThis as { GPUDevice?: { prototype: object } }).GPUDevice?.prototype;
    const real = proto && Object.getOwnPropertyDescriptor(proto, 'limits')?.get;
    if (!proto || !real) return;
    Object.defineProperty(proto, 'limits', {
      configurable: true,
      get() {
        const limits = real.call(this) as object;
        return new Proxy(limits, {
          get: (t, key) => (key === 'maxStorageBufferBindingSize' ? limit : Reflect.get(t, key, t)),
        });
      },
    });
  }, bytes);
}

/** Markup a URL value could inject if it were ever rendered as HTML (the fuzz's nasty values). */
export const INJECTED =
  'img[src="x"], [onerror], [onload]:not(link):not(script), script:not([src]), iframe[src^="javascript"]';
