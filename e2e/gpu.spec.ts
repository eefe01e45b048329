// A lost GPU device: the badge says so, a step fails in words, "Re-initialise GPU" brings WebGPU back and
// the stage recomputes (refilling the step cache up to k from the GPU).

import { expect, test } from '@playwright/test';
import { expectChecksOk, open, stepReady, watch } from './helpers';

test('device loss is shown and re-initialising recomputes the stage on webgpu', async ({ page }) => {
  const w = watch(page);
  await open(page, '?k=3');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu · /);
  await stepReady(page);
  await page.evaluate(() => window.__seqscope?.loseDevice());
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu · device lost/);
  await page.getByTestId('step-forward').click();
  await expect(page.getByRole('alert').filter({ hasText: 'could not run' })).toBeVisible();
  const button = page.getByTestId('reinit-gpu');
  await expect(button).toBeVisible();
  await button.click();
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu · (?!device lost)/);
  await expect(button).toHaveCount(0);
  await expect(page.getByTestId('step-counter')).toHaveText('4 / 64');
  await stepReady(page);
  await expect(page.getByRole('alert').filter({ hasText: 'could not run' })).toHaveCount(0);
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('step-counter')).toHaveText('5 / 64');
  await stepReady(page);
  await expectChecksOk(page);
  expect(w.errors).toEqual([]);
});
