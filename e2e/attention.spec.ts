// The attention stage in Chromium, with WebGPU (SwiftShader) and without: the contract of ../shared/STAGES.md,
// decoding step by step against the batched run, S growing as L² from the records of what ran, the URL
// restoring the view, Chinese with no English left, the themes, and axe at 360 and 1280 px.

import { expect, type Page, test } from '@playwright/test';
import {
  counter,
  expectAccessible,
  expectContract,
  expectNoEnglishLeft,
  openStage,
  watch,
  withoutWebGpu,
} from './helpers';

const checksOf = (backend: 'webgpu' | 'cpu') =>
  backend === 'webgpu' ? ['flash-naive', 'gpu-cpu', 'decode'] : ['flash-naive', 'decode'];

async function ready(page: Page, backend: 'webgpu' | 'cpu' = 'webgpu'): Promise<void> {
  for (const name of checksOf(backend))
    await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-ok', 'true');
}

for (const backend of ['webgpu', 'cpu'] as const)
  test(`keeps the contract on ${backend}: decode steps read back and equal the batched rows, no console errors`, async ({
    page,
  }) => {
    const w = watch(page);
    if (backend === 'cpu') await withoutWebGpu(page);
    await openStage(page, 'attention');
    await expect(page.getByTestId('engine-backend')).toHaveText(new RegExp(`^${backend}`));
    await ready(page, backend);
    await expectContract(page, 'attention', { playback: true, checks: checksOf(backend) });
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
    await expect(page.locator('.katex-error')).toHaveCount(0);
    expect(w.errors).toEqual([]);
    expect(w.offHost).toEqual([]);
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

test('speaks Chinese with no English left, and the themes change the page', async ({ page }) => {
  await openStage(page, 'attention', 'lang=zh-CN');
  await ready(page);
  await expect(page.locator('h2').first()).toContainText('注意力');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu/);
  // index.html's <noscript> text is never shown while scripts run; the walker would read it all the same.
  await page.evaluate(() => {
    for (const n of document.querySelectorAll('noscript')) n.remove();
  });
  await expectNoEnglishLeft(page);
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await openStage(page, 'attention', 'theme=dark');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await background()).not.toBe(light);
  await openStage(page, 'attention', 'theme=projector');
  const size = await page.evaluate(() =>
    Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
  );
  expect(size).toBeGreaterThan(16);
});

const AXE = [
  ['webgpu', 'en', 1280],
  ['webgpu', 'en', 360],
  ['webgpu', 'zh-CN', 1280],
  ['webgpu', 'zh-CN', 360],
  ['cpu', 'en', 360],
] as const;

for (const [backend, lang, width] of AXE)
  test(`axe finds nothing serious on ${backend}, ${lang}, ${width} px, and nothing is wider than the page`, async ({
    page,
  }) => {
    test.setTimeout(150_000);
    if (backend === 'cpu') await withoutWebGpu(page);
    await page.setViewportSize({ width, height: 800 });
    await openStage(page, 'attention', `lang=${lang}&k=2`);
    await expect(page.getByTestId('engine-backend')).toHaveText(new RegExp(`^${backend}`));
    await ready(page, backend);
    await expect(page.getByTestId('decode-status')).toContainText(/2/);
    await expectAccessible(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
