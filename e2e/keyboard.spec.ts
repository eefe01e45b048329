// Keyboard shortcuts: space plays/pauses, arrows step; none of them fire while a field has focus. And
// reduced motion: nothing moves by itself.

import { expect, test } from '@playwright/test';
import { counter, open, stepReady } from './helpers';

test('space and the arrow keys drive playback, but not while a slider has focus', async ({ page }) => {
  await open(page, '?stage=ssm');
  await page.locator('h2').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText('2 / 64');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('step-counter')).toHaveText('1 / 64');
  await stepReady(page);

  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await counter(page)).k).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');

  const before = await counter(page);
  await page.getByTestId('param-N').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('param-N')).toHaveValue('9');
  expect((await counter(page)).k).toBe(before.k);
});

test('with reduced motion nothing plays by itself and playback defaults to one step per second', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page, '?stage=ssm');
  await expect(page.getByLabel('Speed, steps per second')).toHaveValue('1');
  await page.waitForTimeout(500);
  expect((await counter(page)).k).toBe(0);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
});
