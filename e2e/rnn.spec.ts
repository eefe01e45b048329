// The rnn stage in Chromium, with WebGPU (SwiftShader) and without: the contract of ../shared/STAGES.md,
// its three checks computed and ok, the URL restoring the view (the reader's sentence included), the
// perturbation's causality read from the page, Chinese with no English left, themes, axe at 360 and 1280 px.

import { expect, type Page, test } from '@playwright/test';
import {
  counter,
  expectAccessible,
  expectContract,
  expectNoEnglishLeft,
  openStage,
  watch,
  withoutWebGpu,
} from './helpers';

// Axe over a page of many cells, on a software GPU with other work beside it, takes a while.
test.describe.configure({ timeout: 240_000 });

/** Steps forward `n` times and waits until both stepper checks have compared those steps. */
async function stepTo(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await page.getByTestId('step-forward').click();
  await expect.poll(async () => (await counter(page)).k).toBe(n);
  for (const name of ['stepper-rnn', 'stepper-lstm']) {
    const c = page.getByTestId(`check-${name}`);
    await expect(c).not.toHaveClass(/check-pending/);
    await expect(c).toHaveAttribute('data-label', new RegExp(`\\(${n} steps\\)`));
  }
}

test('on webgpu the rnn stage keeps the contract: stepper = batched run (RNN, LSTM), GPU = CPU reference', async ({
  page,
}) => {
  const w = watch(page);
  await openStage(page, 'rnn');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu/);
  await expect(page.getByTestId('step-counter')).toHaveText('0 / 12');
  await stepTo(page, 3);
  await expectContract(page, 'rnn', { playback: true, checks: ['gpu-cpu', 'stepper-rnn', 'stepper-lstm'] });
  const err = Number(await page.getByTestId('check-gpu-cpu').getAttribute('data-maxerr'));
  expect(err).toBeLessThan(1e-4);
  await expect(page.getByTestId('rnn-chain')).toBeVisible();
  await expect(page.getByTestId('lstm-chain')).toBeVisible();
  // Four dispatches ran in the batched submission: the GPU panel lists the scans.
  await expect(page.getByTestId('gpu-panel')).toContainText('elmanRnn.scan');
  await expect(page.locator('.katex-error')).toHaveCount(0);
  await expectAccessible(page);
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});

test('the URL restores the view: the sentence, sizes, perturbation and step, with nothing changed before s', async ({
  page,
}) => {
  const w = watch(page);
  await openStage(page, 'rnn', 'text=one+two+three+four+five&H=6&d=4&eps=0.5&pos=3&k=4');
  await expect(page.getByTestId('step-counter')).toHaveText('4 / 5');
  await expect(page.getByTestId('rnn-tokens').locator('.tok-chip')).toHaveCount(5);
  await expect(page.getByTestId('param-H')).toHaveValue('6');
  await expect(page.getByTestId('param-pos')).toHaveValue('3');
  await expect(page.getByTestId('check-stepper-rnn')).toHaveAttribute('data-label', /\(4 steps\)/);
  for (const name of ['gpu-cpu', 'stepper-rnn', 'stepper-lstm'])
    await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-ok', 'true');
  // δ_t of both runs is exactly 0 before the perturbed token s = 3 and positive from it.
  const table = page.getByTestId('rnn-memory-table');
  await table.locator('summary').click();
  const cells = table.locator('tbody tr').first().locator('td');
  await expect(cells).toHaveCount(5);
  const values = (await cells.allTextContents()).map((s) => Number(s.replace('−', '-')));
  expect(values.slice(0, 2)).toEqual([0, 0]);
  expect(values[2]).toBeGreaterThan(0);
  await page.getByTestId('step-forward').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('5');
  expect(new URL(page.url()).searchParams.get('text')).toBe('one two three four five');
  expect(w.errors).toEqual([]);
});

test('without WebGPU the stage runs on the CPU backend: both stepper checks ok, no GPU check to show', async ({
  page,
}) => {
  const w = watch(page);
  await withoutWebGpu(page);
  await openStage(page, 'rnn');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^cpu/);
  await stepTo(page, 2);
  await expectContract(page, 'rnn', { playback: true, checks: ['stepper-rnn', 'stepper-lstm'] });
  await expect(page.getByTestId('check-gpu-cpu')).toHaveCount(0);
  await expectAccessible(page);
  expect(w.errors).toEqual([]);
});

test('at 360 px nothing widens the page and axe finds no serious violation', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await openStage(page, 'rnn', 'k=2');
  await expect(page.getByTestId('check-stepper-lstm')).toHaveAttribute('data-label', /\(2 steps\)/);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide).toBeLessThanOrEqual(360);
  await expectAccessible(page);
});

for (const width of [360, 1280])
  test(`?lang=zh-CN shows the stage in Chinese with no English left, accessible at ${width} px`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 800 });
    await openStage(page, 'rnn', 'lang=zh-CN&k=1');
    await expect(page.getByTestId('check-stepper-rnn')).toHaveAttribute('data-label', /（1 步）/);
    await expect(page.locator('#rnn-sec-lstm')).toHaveText(/传送带/);
    await expectNoEnglishLeft(page);
    await expectAccessible(page);
  });

for (const theme of ['dark', 'projector'] as const)
  test(`?theme=${theme} changes the page and stays accessible`, async ({ page }) => {
    const background = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim());
    await openStage(page, 'rnn', 'theme=light');
    const light = await background();
    await openStage(page, 'rnn', `theme=${theme}`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByTestId('check-stepper-rnn')).toBeAttached();
    if (theme === 'dark') expect(await background()).not.toBe(light);
    else
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).not.toBe('16px');
    await expectAccessible(page);
  });
