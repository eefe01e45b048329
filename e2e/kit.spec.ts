// The stage kit across stages: the playback clock keeps time, the CPU backend never blocks the page,
// the initial JavaScript stays in budget, themes and languages switch, the path lists every stage.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { counter, open } from './helpers';

for (const backend of ['webgpu', 'cpu'] as const)
  test(`at 1/s playback advances about one step a second from a cold start (${backend})`, async ({
    page,
  }) => {
    await page.goto(`?stage=ssm&L=64${backend === 'cpu' ? '&backend=cpu' : ''}`);
    await page.getByTestId('speed').selectOption('1');
    await page.getByTestId('play').click();
    const t0 = Date.now();
    await page.waitForTimeout(6_000);
    const { k } = await counter(page);
    const seconds = (Date.now() - t0) / 1000;
    expect(k).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
    expect(k).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

test('on the CPU backend no main-thread task takes over 200 ms while the reader changes parameters', async ({
  page,
}) => {
  await open(page, '?stage=ssm&backend=cpu&L=256&N=32');
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const slider = page.getByTestId('param-N');
  for (let i = 0; i < 8; i++) {
    await slider.focus();
    await page.keyboard.press(i % 2 ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForTimeout(150);
  }
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
  await page.waitForTimeout(500);
  const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
  expect(Math.max(0, ...long)).toBeLessThan(200);
});

test('the initial JavaScript stays under 350 KB gzipped', async () => {
  const dist = join(process.cwd(), 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  const bytes = scripts.reduce((sum, s) => sum + gzipSync(readFileSync(join(dist, s))).length, 0);
  expect(bytes).toBeLessThan(350 * 1024);
});

test('the themes change the page and the language switch speaks Chinese and stays in the link', async ({
  page,
}) => {
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await open(page, '?stage=ssm');
  const light = await background();
  await open(page, '?stage=ssm&theme=dark');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await background()).not.toBe(light);
  await open(page, '?stage=ssm&theme=projector');
  const size = await page.evaluate(() =>
    Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
  );
  expect(size).toBeGreaterThan(16);

  await open(page, '?stage=ssm');
  await page.getByTestId('lang').selectOption('zh-CN');
  await expect(page.locator('h2').first()).toContainText('状态空间模型');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect.poll(() => page.evaluate(() => window.location.search)).toContain('lang=zh-CN');
});

test('the path shows every stage in order with its state', async ({ page }) => {
  await open(page, '?stage=ssm');
  const ids = ['intro', 'rnn', 'attention', 'flash', 'linear', 'ssm', 's4', 'mamba', 'ssd', 'race'];
  const items = page.locator('nav.path li');
  await expect(items).toHaveCount(ids.length);
  for (const [i, id] of ids.entries()) {
    await expect(items.nth(i)).toHaveAttribute('data-testid', `path-${id}`);
    await expect(items.nth(i)).toHaveAttribute('data-state', /^(built|coming)$/);
  }
  await expect(page.getByTestId('path-ssm')).toHaveAttribute('data-state', 'built');
});

test('an exception while rendering a stage shows what failed and a retry, never a blank page', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, '?stage=ssm');
  await page.evaluate(() => window.__seqscope?.failRender());
  await expect(page.getByTestId('stage-error')).toContainText('a test fault armed by the e2e suite');
  await expect(page.locator('header.top')).toBeVisible();
  await page.getByTestId('stage-error').getByRole('button').click();
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
  expect(errors).toEqual([]);
});

test('a stage prints as a static page: no controls, light colours, the diagrams kept', async ({ page }) => {
  await open(page, '?stage=ssm&theme=dark&k=5');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('play')).toBeHidden();
  await expect(page.locator('nav.path')).toBeHidden();
  await expect(page.getByTestId('stage-ssm').locator('svg, canvas').first()).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(bg).toBe('rgb(255, 255, 255)');
});

test('200 stage and parameter switches return the live GPU buffers to their baseline', async ({ page }) => {
  // 200 switches over five stages on SwiftShader: about a minute on a quiet machine, more under load.
  test.setTimeout(240_000);
  await open(page, '?stage=ssm');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu/);
  await expect.poll(() => page.evaluate(() => window.__seqscope?.idle())).toBe(true);
  const baseline = await page.evaluate(() => window.__seqscope?.liveBuffers() ?? -1);
  expect(baseline).toBeGreaterThan(0);
  const links = page.locator('nav.path li[data-state="built"] a');
  const built = await links.count();
  for (let i = 0; i < 200; i++) {
    if (built > 1 && i % 4 === 0) await links.nth(i % built).click();
    else {
      const slider = page.locator('[data-testid^="param-"][type="range"]').first();
      // A slider re-rendered away mid-switch is skipped, not waited for (the race stage has none).
      if (
        (await slider.count()) &&
        (await slider.focus({ timeout: 2000 }).then(
          () => true,
          () => false,
        ))
      )
        await page.keyboard.press(i % 2 ? 'ArrowRight' : 'ArrowLeft');
    }
  }
  // Back to the same view as the baseline (a stage switch restores its defaults), without reloading.
  if (built > 1)
    await links
      .filter({ hasNotText: /SSM|状态空间/ })
      .first()
      .click();
  await page.locator('nav.path [data-testid="path-ssm"] a').click();
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__seqscope?.idle())).toBe(true);
  await expect.poll(() => page.evaluate(() => window.__seqscope?.liveBuffers())).toBe(baseline);
});

test('the keyboard alone reaches every control of a stage, and focus never falls to the page body', async ({
  page,
}) => {
  await page.goto('?stage=ssm');
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
  const seen = new Set<string>();
  let onBody = 0;
  for (let i = 0; i < 160; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return 'BODY';
      return a.getAttribute('data-testid') ?? `${a.tagName}.${a.className}`;
    });
    if (id === 'BODY') onBody++;
    seen.add(id);
  }
  for (const id of ['lang', 'theme', 'share-link', 'play', 'step-forward', 'scrubber', 'param-L', 'param-N'])
    expect([...seen]).toContain(id);
  expect(onBody).toBeLessThanOrEqual(1);
  await page.getByTestId('step-forward').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('step-back').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('step-back');
});
