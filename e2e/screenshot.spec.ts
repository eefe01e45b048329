// Screenshots to look at, not to assert: docs/screenshot.png (the recurrent view at 1280×800, for the
// README), the full page, and the narrow 420px course-iframe width, which must not scroll sideways.

import { expect, test } from '@playwright/test';
import { open, stepReady } from './helpers';

test('screenshots of the ssm stage at 1280px and at 420px', async ({ page }) => {
  await open(page, '?stage=ssm&signal=sine&L=64&N=8&dt=0.1&disc=zoh&k=24');
  await stepReady(page);
  await expect(page.getByTestId('check-stepper')).toHaveAttribute('data-ok', 'true');
  await page
    .locator('#sec-rec')
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8));
  await page.screenshot({ path: 'docs/screenshot.png' });
  await page.screenshot({ path: 'test-results/screenshot-full.png', fullPage: true });

  await page.setViewportSize({ width: 420, height: 800 });
  await stepReady(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screenshot-420.png', fullPage: true });
});
