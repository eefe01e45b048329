// Screenshots to look at, not to assert: the recurrent view at 1280×800 (docs/screenshot.png for the README
// with SEQSCOPE_SCREENSHOT=1), the full page, and the narrow 420px course-iframe width (no sideways scroll).

import { expect, test } from '@playwright/test';
import { open, stepReady } from './helpers';

test('screenshots of the ssm stage at 1280px and at 420px', async ({ page }) => {
  await open(page, '?stage=ssm&signal=sine&L=64&N=8&dt=0.1&disc=zoh&k=24');
  await stepReady(page);
  await expect(page.getByTestId('check-stepper')).toHaveAttribute('data-ok', 'true');
  await page
    .locator('#sec-rec')
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8));
  // Refreshes the committed README image only when asked, so a plain test run leaves the tree clean.
  const shot = process.env.SEQSCOPE_SCREENSHOT ? 'docs/screenshot.png' : 'test-results/screenshot.png';
  await page.screenshot({ path: shot });
  await page.screenshot({ path: 'test-results/screenshot-full.png', fullPage: true });

  await page.setViewportSize({ width: 420, height: 800 });
  await stepReady(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screenshot-420.png', fullPage: true });
});
