// Screenshots to look at, not to assert: docs/screenshot.png at 1280×800 and a narrow 420px course width.

import { expect, test } from '@playwright/test';
import { open, stepReady } from './helpers';

test('screenshots of the ssm stage at 1280px and at 420px', async ({ page }) => {
  await open(page, '?stage=ssm&signal=sine&L=64&N=8&dt=0.1&disc=zoh&k=24');
  await stepReady(page);
  await expect(page.getByTestId('check-stepper')).toHaveAttribute('data-ok', 'true');
  await page.screenshot({ path: 'docs/screenshot.png', fullPage: true });

  await page.setViewportSize({ width: 420, height: 800 });
  await stepReady(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screenshot-420.png', fullPage: true });
});
