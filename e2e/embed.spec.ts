// Embedding: the example course page hosts the site in an iframe; bad postMessages change nothing (a
// console.warn, no error), a good one applies, and the frame reports its state to the parent.

import { expect, test } from '@playwright/test';
import { watch } from './helpers';

test('inside an iframe, bad messages are ignored with a warning and a good one applies', async ({ page }) => {
  const w = watch(page);
  await page.goto('embed-example.html');
  const frame = page.frameLocator('iframe#seqscope');
  await expect(frame.getByTestId('stage-ssm')).toBeVisible();
  await expect(frame.getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu) · /);
  await expect(frame.getByTestId('step-counter')).toHaveText('0 / 32');
  await expect(page.locator('#state')).toContainText('"L": 32');

  const bad = [
    'hello',
    null,
    { type: 'seqscope:set', params: { L: 'abc' } },
    { type: 'seqscope:set', params: { L: 100000 } },
    { type: 'seqscope:set', stage: 'mamba' },
    { type: 'seqscope:set', params: { nope: 1 } },
    { type: 'seqscope:set', params: { signal: 'square', L: 16 } },
    { type: 'seqscope:set', k: 999 },
  ];
  await page.evaluate((msgs) => {
    const f = document.querySelector<HTMLIFrameElement>('iframe#seqscope');
    for (const m of msgs) f?.contentWindow?.postMessage(m, '*');
  }, bad);
  await expect
    .poll(() => w.warnings.filter((t) => t.startsWith('seqscope: ignored')).length)
    .toBe(bad.length);
  await expect(frame.getByTestId('step-counter')).toHaveText('0 / 32');
  await expect(frame.getByTestId('param-L')).toHaveValue('32');
  await expect(frame.getByTestId('param-signal')).toHaveValue('sine');

  await page.getByRole('button', { name: 'Spike input, L = 48' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('0 / 48');
  await expect(frame.getByTestId('param-signal')).toHaveValue('spike');
  await expect(page.locator('#state')).toContainText('"L": 48');
  await expect(frame.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
  const share = frame.getByTestId('share-link');
  await expect(share).toHaveAttribute('target', '_blank');
  await expect(share).toHaveAttribute('href', /signal=spike&L=48/);
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});
