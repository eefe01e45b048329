// The race stage in Chromium (SwiftShader: the quick sizes): the contract of ../shared/STAGES.md (no
// playback; race-run, race-progress, race-export), a run to completion whose JSON export passes the CLI's
// schema validator and whose PNG export is a PNG, no long task while it runs, Stop stopping within a row,
// and without WebGPU the notice and the H200 reference curves; Chinese, themes, axe at 360 and 1280 px.

import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { reportProblems } from '../engine/bench/validate';
import { AXE_ON_CPU, openStage, stageSuite, watch } from './helpers';

test.describe.configure({ timeout: 240_000 });

async function ready(page: Page, backend: 'webgpu' | 'cpu'): Promise<void> {
  await expect(page.getByTestId('race-run')).toBeVisible();
  // The reference curves load lazily (a chunk of the site); on WebGPU Run becomes available.
  await expect(page.locator('[data-testid="race-time"] g[data-reference="true"]').first()).toBeAttached({
    timeout: 60_000,
  });
  if (backend === 'webgpu') await expect(page.getByTestId('race-run')).toBeEnabled();
}

/** Presses Run and waits until the progress bar is full and the phase reads done. */
async function runToEnd(page: Page): Promise<void> {
  await page.getByTestId('race-run').click();
  const bar = page.getByTestId('race-progress');
  await expect(page.getByTestId('race-run')).toHaveText(/Stop|停止/);
  await expect
    .poll(
      async () => (await bar.getAttribute('aria-valuenow')) === (await bar.getAttribute('aria-valuemax')),
      {
        timeout: 200_000,
      },
    )
    .toBe(true);
  await expect(page.getByTestId('race-run')).toHaveText(/Run|开始/, { timeout: 30_000 });
}

async function download(page: Page, testId: string): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFile((await d.path()) as string);
}

stageSuite({
  id: 'race',
  playback: false,
  checks: () => [],
  ready,
  contract: {
    title: 'no playback, Run, progress and export present',
    query: 'preset=decoding',
    async after(page) {
      for (const id of ['race-run', 'race-progress', 'race-export'])
        await expect(page.getByTestId(id)).toBeVisible();
    },
  },
  chinese: {
    query: 'preset=decoding',
    heading: (page) => page.getByTestId('stage-race').locator('h2'),
    text: /速度竞赛/,
    async after(page) {
      await runToEnd(page);
    },
  },
  themesQuery: 'preset=decoding',
  axe: {
    query: 'preset=decoding',
    more: AXE_ON_CPU,
  },
});

test('runs to completion on SwiftShader with the quick sizes; the JSON export passes the CLI schema and the PNG is a PNG', async ({
  page,
}) => {
  const w = watch(page);
  await openStage(page, 'race', 'preset=decoding');
  await ready(page, 'webgpu');
  await expect(page.getByTestId('race-software')).toBeVisible();
  await expect(page.getByTestId('race-adapter')).toHaveText(/swiftshader/i);
  await expect(page.getByTestId('race-export')).toBeDisabled();
  // Long tasks from here on (the race's rows, inputs, plots): none may pass 200 ms.
  await page.evaluate(() => {
    const g = globalThis as unknown as { longest: number; ended: number };
    g.longest = 0;
    g.ended = Number.POSITIVE_INFINITY;
    // The run ends when its button reads Run again; the GPU panel's redraw after it is not the race's.
    const button = document.querySelector('[data-testid="race-run"]') as HTMLElement;
    let started = false;
    new MutationObserver(() => {
      if (/Stop/.test(button.textContent ?? '')) started = true;
      else if (started && g.ended === Number.POSITIVE_INFINITY) g.ended = performance.now();
    }).observe(button, { childList: true, characterData: true, subtree: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (e.startTime < g.ended) g.longest = Math.max(g.longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  await runToEnd(page);
  const rows = page.getByTestId('race-row');
  await expect(rows).toHaveCount(2 * 3);
  await expect(page.locator('[data-testid="race-row"][data-status="ok"]')).toHaveCount(6);
  await expect(page.getByTestId('race-copy')).toContainText('GB/s');
  await expect(page.locator('[data-testid="race-time"] g[data-reference="false"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="race-memory"] g[data-reference="false"]')).toHaveCount(2);
  await expect(page.getByTestId('race-pair')).toHaveCount(1);
  // The GPU panel shows the last row's dispatches.
  await expect(page.getByTestId('gpu-dispatch').first()).toBeAttached();
  const report = JSON.parse((await download(page, 'race-export')).toString('utf8'));
  expect(reportProblems(report)).toEqual([]);
  expect(report.sizes.name).toBe('quick');
  expect(report.algorithms.map((a: { id: string }) => a.id)).toEqual(['decode1', 'flashDecoding']);
  const png = await download(page, 'race-export-png');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(await page.evaluate(() => (globalThis as unknown as { longest: number }).longest)).toBeLessThan(200);
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});

test('Stop stops within a row: later rows are skipped as stopped and the export still validates', async ({
  page,
}) => {
  await openStage(page, 'race', 'preset=all');
  await ready(page, 'webgpu');
  await page.getByTestId('race-run').click();
  const bar = page.getByTestId('race-progress');
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(2);
  await page.getByTestId('race-run').click();
  await expect(page.getByTestId('race-run')).toHaveText(/Run/, { timeout: 60_000 });
  const total = Number(await bar.getAttribute('aria-valuemax'));
  const ran = await page.locator('[data-testid="race-row"][data-status="ok"]').count();
  expect(ran).toBeGreaterThanOrEqual(1);
  expect(ran).toBeLessThan(total - 2);
  // Rows after the stop are skipped as stopped (others may be skipped for their own reason first: the
  // matrix-unit FlashAttention row on an adapter without subgroup matrices).
  await expect(
    page
      .locator('[data-testid="race-row"][data-status="skipped"]')
      .filter({ hasText: /stopped/ })
      .first(),
  ).toBeVisible();
  const report = JSON.parse((await download(page, 'race-export')).toString('utf8'));
  expect(reportProblems(report)).toEqual([]);
  expect(report.copy.end).toBeNull();
});

test('without WebGPU: says timings need it, cannot run, and shows the H200 reference curves and rows', async ({
  page,
}) => {
  const w = watch(page);
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await openStage(page, 'race', 'preset=mambaFlash');
  await ready(page, 'cpu');
  await expect(page.getByTestId('race-no-webgpu')).toBeVisible();
  await expect(page.getByTestId('race-run')).toBeDisabled();
  // naive, FA2 f32, FA2 on the matrix units, the fused scan: the preset's four.
  await expect(page.locator('[data-testid="race-time"] g[data-reference="true"]')).toHaveCount(4);
  await page.locator('.race-ref-rows > summary').click();
  await expect(page.getByTestId('race-ref-rows').locator('tbody tr')).toHaveCount(4 * 6);
  // The reference's crossovers are numbered on the plot and described beside the papers' claims.
  await expect(page.getByTestId('race-pairs')).toContainText('A100');
  expect(w.offHost).toEqual([]);
});
