// The ssm stage on WebGPU and on the CPU backend: rendering, playback, live checks, no console errors.

import { expect, test } from '@playwright/test';
import { counter, expectChecksOk, open, stepReady, watch } from './helpers';

test('the ssm stage renders on webgpu, play and step move the counter, the checks are ok, no console errors', async ({
  page,
}) => {
  const w = watch(page);
  await open(page);
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu · /);
  await expect(page.getByTestId('step-counter')).toHaveText('0 / 64');
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');

  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('step-counter')).toHaveText('2 / 64');
  await stepReady(page);
  await page.getByTestId('step-back').click();
  await expect(page.getByTestId('step-counter')).toHaveText('1 / 64');
  await stepReady(page);

  await page.getByTestId('play').click();
  await expect.poll(async () => (await counter(page)).k, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
  await page.getByTestId('play').click();
  const paused = (await counter(page)).k;
  await stepReady(page);
  await page.waitForTimeout(600);
  expect((await counter(page)).k).toBe(paused);

  await expectChecksOk(page);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  const stepperErr = Number(await page.getByTestId('check-stepper').getAttribute('data-maxerr'));
  expect(stepperErr).toBeLessThan(1e-3);
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});

test('with WebGPU unavailable the badge says cpu and the stage still works', async ({ page }) => {
  const w = watch(page);
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await open(page);
  await expect(page.getByTestId('engine-backend')).toHaveText(/^cpu · /);
  await expect(page.getByTestId('engine-backend')).toHaveAttribute('title', /navigator\.gpu/);
  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('step-counter')).toHaveText('3 / 64');
  await stepReady(page);
  await expectChecksOk(page);
  expect(w.errors).toEqual([]);
});

test('?backend=cpu forces the CPU backend and keeps it in the link', async ({ page }) => {
  const w = watch(page);
  await open(page, '?backend=cpu&k=5');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^cpu · forced/);
  await expect(page.getByTestId('step-counter')).toHaveText('5 / 64');
  await stepReady(page);
  await expectChecksOk(page);
  await page.getByTestId('step-forward').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('6');
  expect(new URL(page.url()).searchParams.get('backend')).toBe('cpu');
  expect(w.errors).toEqual([]);
});
