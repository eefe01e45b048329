// The rnn stage in Chromium, with WebGPU (SwiftShader) and without: the contract of ../shared/STAGES.md,
// its three checks computed and ok, the URL restoring the view (the reader's sentence included), the
// perturbation's causality read from the page, Chinese with no English left, themes, axe at 360 and 1280 px.

import { expect, type Page, test } from '@playwright/test';
import { type Backend, counter, openStage, stageSuite, watch } from './helpers';

// Axe over a page of many cells, on a software GPU with other work beside it, takes a while.
test.describe.configure({ timeout: 240_000 });

const checksOf = (backend: Backend) =>
  backend === 'webgpu' ? ['gpu-cpu', 'stepper-rnn', 'stepper-lstm'] : ['stepper-rnn', 'stepper-lstm'];

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

stageSuite({
  id: 'rnn',
  playback: true,
  checks: checksOf,
  // The batched run has computed (and on WebGPU been compared with the CPU reference).
  async ready(page, backend) {
    await expect(page.getByTestId('check-stepper-rnn')).toBeAttached();
    if (backend === 'webgpu')
      await expect(page.getByTestId('check-gpu-cpu')).toHaveAttribute('data-ok', 'true');
  },
  contract: {
    title: 'stepper = batched run (RNN, LSTM), GPU = CPU reference',
    async before(page, backend) {
      await expect(page.getByTestId('step-counter')).toHaveText('0 / 12');
      await stepTo(page, backend === 'webgpu' ? 3 : 2);
    },
    async after(page, backend) {
      if (backend === 'cpu') {
        await expect(page.getByTestId('check-gpu-cpu')).toHaveCount(0);
        return;
      }
      const err = Number(await page.getByTestId('check-gpu-cpu').getAttribute('data-maxerr'));
      expect(err).toBeLessThan(1e-4);
      await expect(page.getByTestId('rnn-chain')).toBeVisible();
      await expect(page.getByTestId('lstm-chain')).toBeVisible();
      // Four dispatches ran in the batched submission: the GPU panel lists the scans.
      await expect(page.getByTestId('gpu-panel')).toContainText('elmanRnn.scan');
    },
  },
  chinese: {
    query: 'k=1',
    heading: (page) => page.locator('#rnn-sec-lstm'),
    text: /传送带/,
    async after(page) {
      await expect(page.getByTestId('check-stepper-rnn')).toHaveAttribute('data-label', /（1 步）/);
    },
  },
  themesQuery: 'k=1',
  axe: {
    query: 'k=2',
    more: [
      ['webgpu', 'en', 1280, 'dark'],
      ['webgpu', 'en', 1280, 'projector'],
      ['cpu', 'en', 1280],
    ],
    // Both stepper checks have compared the two steps.
    async after(page) {
      for (const name of ['stepper-rnn', 'stepper-lstm'])
        await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-label', /[(（]2/);
    },
  },
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
