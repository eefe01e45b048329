// A lost GPU device (destroyed, or the GPU process crashed): the badge says so, the engine re-initialises
// by itself, and the stage resumes at the same step without a click; the button still re-initialises by
// hand.

import { expect, type Page, test } from '@playwright/test';
import { expectBackend, expectChecksOk, open, openWatched, stepReady } from './helpers';

async function expectResumedAt(page: Page, k: number) {
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu · (?!device lost)/);
  await expect(page.getByTestId('step-counter')).toHaveText(`${k} / 64`);
  await stepReady(page);
  await expectChecksOk(page);
}

test('a destroyed device re-initialises by itself and the stage resumes at the same step', async ({
  page,
}) => {
  const w = await openWatched(page, '?k=3', 'webgpu');
  await stepReady(page);
  await page.evaluate(() => window.__seqscope?.loseDevice());
  await expectResumedAt(page, 3);
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('step-counter')).toHaveText('4 / 64');
  await stepReady(page);
  expect(w.errors).toEqual([]);
});

test('after the GPU process crashes the stage comes back on webgpu at the same step', async ({
  page,
  context,
}) => {
  await open(page, '?k=5');
  await expectBackend(page, 'webgpu');
  await stepReady(page);
  const crasher = await context.newPage();
  await crasher.goto('chrome://gpucrash').catch(() => undefined);
  await crasher.close();
  await expectResumedAt(page, 5);
});
