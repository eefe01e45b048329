// The attention stage in Chromium, with WebGPU (SwiftShader) and without: the contract of ../shared/STAGES.md,
// decoding step by step against the batched run, S growing as L² from the records of what ran, the URL
// restoring the view, Chinese with no English left, the themes, and axe at 360 and 1280 px.

import { expect, type Page, test } from '@playwright/test';
import { type Backend, counter, openStage, stageSuite } from './helpers';

const checksOf = (backend: Backend) =>
  backend === 'webgpu' ? ['flash-naive', 'gpu-cpu', 'decode'] : ['flash-naive', 'decode'];

async function ready(page: Page, backend: Backend = 'webgpu'): Promise<void> {
  for (const name of checksOf(backend))
    await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-ok', 'true');
}

stageSuite({
  id: 'attention',
  playback: true,
  checks: checksOf,
  ready,
  contract: {
    title: 'decode steps read back and equal the batched rows',
    async after(page, backend) {
      await expect(page.getByTestId('check-gpu-cpu')).toHaveCount(backend === 'webgpu' ? 1 : 0);
      const { n } = await counter(page);
      expect(n).toBe(12);
      for (let i = 0; i < 3; i++) await page.getByTestId('step-forward').click();
      await expect(page.getByTestId('step-counter')).toHaveText('3 / 12');
      await expect(page.getByTestId('decode-status')).toContainText('3 keys');
      await expect(page.getByTestId('check-decode')).toHaveAttribute('data-label', /3 steps/);
      await expect(page.getByTestId('check-decode')).toHaveAttribute('data-ok', 'true');
      // The cache grids hold exactly the 3 appended rows; the readout reads a cell by keyboard.
      await page.getByTestId('cache-k').focus();
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('cache-k-readout')).toHaveText(/^K\[2, 1\] = −?\d/);
      await page.getByTestId('step-back').click();
      await expect(page.getByTestId('step-counter')).toHaveText('2 / 12');
      await expect(page.getByTestId('decode-status')).toContainText('2 keys');
      await expect(page.getByTestId('decode-times')).toBeVisible();
    },
  },
  chinese: { heading: (page) => page.locator('h2').first(), text: /注意力/ },
  axe: {
    query: 'k=2',
    more: [['cpu', 'en', 360]],
    async after(page) {
      await expect(page.getByTestId('decode-status')).toContainText(/2/);
    },
  },
});

test('the URL restores the view, and S quadruples when the sentence doubles (from the records)', async ({
  page,
}) => {
  await openStage(page, 'attention', 'text=to%20be%20or%20not%20to%20be&d=4&h=2&hk=1&causal=off&seed=3&k=2');
  await ready(page);
  await expect(page.getByTestId('step-counter')).toHaveText('2 / 6');
  await expect(page.getByTestId('param-d')).toHaveValue('4');
  await expect(page.getByTestId('param-causal')).toHaveValue('off');
  await expect(page.getByTestId('param-hk')).toHaveValue('1');
  await expect(page.getByTestId('map-s').locator('rect.masked')).toHaveCount(0);
  const bytes = async () => Number(await page.getByTestId('memory-bytes').getAttribute('data-bytes'));
  const six = await bytes();
  expect(await page.getByTestId('memory-bytes').getAttribute('data-source')).toBe('records');
  await page.getByTestId('param-text').fill('to be or not to be that is the question , whether');
  await page.getByTestId('param-text').press('Enter');
  await expect(page.getByTestId('step-counter')).toHaveText(/ \/ 12$/);
  // The new run's records replace the old ones once it has computed.
  await expect.poll(async () => (await bytes()) / six).toBe(4);
  await ready(page);
  await expect.poll(() => new URL(page.url()).searchParams.get('text')).toContain('question');
});
