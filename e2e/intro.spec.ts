// The intro stage in Chromium, with WebGPU (SwiftShader) and without: the contract of ../shared/STAGES.md
// (no playback), the table's figures from the run (the same on both backends), the URL restoring the view,
// the reader's sentence, the map of the stages, Chinese, the themes, and axe at 360 and 1280 px.

import { expect, type Page, test } from '@playwright/test';
import { AXE_ON_CPU, expectBackend, openStage, stageSuite } from './helpers';

const CHECKS = ['decode', 'memory'] as const;

// A cold page compiles every model's kernels on SwiftShader first (tens of seconds on a busy machine).
test.describe.configure({ timeout: 240_000 });

async function ready(page: Page): Promise<void> {
  for (const name of CHECKS)
    await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-ok', 'true', { timeout: 150_000 });
}

/** The measured figures of every row: training steps, bytes per token, memory held. */
async function figures(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const m of ['rnn', 'attention', 'linear', 's4', 'mamba', 'mamba2']) {
    const train = page.getByTestId(`train-${m}`);
    out[m] = [
      (await train.getAttribute('data-dispatches')) ?? '',
      (await train.getAttribute('data-steps')) ?? '',
      (await page.getByTestId(`token-${m}`).getAttribute('data-bytes')) ?? '',
      (await page.getByTestId(`memory-${m}`).getAttribute('data-bytes')) ?? '',
    ];
  }
  return out;
}

stageSuite({
  id: 'intro',
  playback: false,
  checks: () => CHECKS,
  ready,
  contract: {
    title: 'no playback, both checks ok, figures from the run',
    query: 'L=20',
    async after(page) {
      await expect(page.getByTestId('intro-table').locator('tbody tr')).toHaveCount(6);
      const f = await figures(page);
      // The KV cache holds K and V for 20 positions of d = 8 floats; the RNN its 8-float h.
      expect(f.attention[3]).toBe(String(2 * 20 * 8 * 4));
      expect(f.rnn.slice(1)).toEqual(['20', '640', '32']);
      expect(f.attention[1]).toBe('0');
      for (const m of ['linear', 'mamba', 'mamba2']) expect(f[m][1], m).toBe('2');
    },
  },
  chinese: { query: 'L=8', heading: (page) => page.getByTestId('stage-intro').locator('h2'), text: /导论/ },
  themesQuery: 'L=8',
  axe: {
    query: 'L=16',
    more: AXE_ON_CPU,
  },
});

test('shows the same figures on the CPU as measured on the GPU, and the URL restores L and the sentence', async ({
  page,
}) => {
  await openStage(page, 'intro', 'L=33&text=to%20be%20or%20not');
  await ready(page);
  const gpu = await figures(page);
  await expect(page.getByTestId('intro-tokens')).toContainText('4');
  await page.reload();
  await ready(page);
  await expect(page.getByTestId('param-L')).toHaveValue('33');
  await openStage(page, 'intro', 'L=33&text=to%20be%20or%20not&backend=cpu');
  await expectBackend(page, 'cpu');
  await ready(page);
  expect(await figures(page)).toEqual(gpu);
});

test('recomputes when the reader changes L or types a sentence, and keeps both in the link', async ({
  page,
}) => {
  await openStage(page, 'intro', 'L=12');
  await ready(page);
  await expect(page.getByTestId('memory-attention')).toHaveAttribute('data-bytes', String(2 * 12 * 32));
  const slider = page.getByTestId('param-L');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('memory-attention')).toHaveAttribute('data-bytes', String(2 * 13 * 32));
  await expect.poll(() => page.evaluate(() => window.location.search)).toContain('L=13');
  const text = page.getByTestId('param-text');
  await text.fill('hello state space');
  await text.press('Enter');
  await expect(page.getByTestId('intro-tokens')).toContainText('hello');
  await expect.poll(() => page.evaluate(() => window.location.search)).toContain('text=hello');
  await ready(page);
});

test('the map links every stage, built or coming, and opens a built one here', async ({ page }) => {
  await openStage(page, 'intro', 'L=8');
  const map = page.getByTestId('stage-map');
  await expect(map.locator('li')).toHaveCount(10);
  for (const id of ['rnn', 'attention', 'flash', 'race'])
    await expect(page.getByTestId(`map-${id}`).locator('a')).toHaveAttribute('href', `?stage=${id}`);
  await expect(page.getByTestId('references').locator('a')).toHaveCount(14);
  await page.getByTestId('map-ssm').locator('a').click();
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
});

test('reads a chart value by keyboard and by tap, with a table alternative', async ({ page }) => {
  await openStage(page, 'intro', 'L=10');
  await ready(page);
  const chart = page.getByTestId('chart-state');
  await chart.focus();
  await page.keyboard.press('End');
  const readout = page.locator('.growth .readout').first();
  await expect(readout).toContainText('10');
  await page.keyboard.press('ArrowDown');
  await expect(readout).toContainText(/640 B/);
  const box = await chart.boundingBox();
  if (!box) throw new Error('no chart box');
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await expect(readout).not.toHaveText('');
  await expect(page.locator('.growth details').first()).toBeAttached();
});
