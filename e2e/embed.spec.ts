// Embedding (issue 10): the example course page hosts two stages in embed mode; the message API round-
// trips a state; bad messages change nothing (one warning each); parentOrigin pins who is obeyed and
// posted to; frames size themselves to their content so the wheel scrolls the course page; a sandbox
// without allow-same-origin shows a message instead of a blank frame.

import { expect, test } from '@playwright/test';
import { expectAccessible, watch } from './helpers';

test('the course page embeds two stages without chrome and the message API round-trips a state', async ({
  page,
}) => {
  const w = watch(page);
  await page.goto('examples/course.html');
  const ssm = page.frameLocator('iframe#ssm');
  await expect(ssm.getByTestId('stage-ssm')).toBeVisible();
  await expect(ssm.locator('header .brand')).toHaveClass(/visually-hidden/);
  await expect(ssm.locator('footer')).toHaveCount(0);
  await expect(ssm.locator('nav.path')).toHaveCount(0);
  await expect(ssm.getByTestId('step-counter')).toHaveText('0 / 32');
  await expect(page.locator('#state-ssm')).toContainText('"L": 32');
  await expect(page.frameLocator('iframe#rnn').getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu)/);

  await page.getByRole('button', { name: 'Spike input, L = 48' }).click();
  await expect(ssm.getByTestId('step-counter')).toHaveText('0 / 48');
  await expect(ssm.getByTestId('param-signal')).toHaveValue('spike');
  await expect(page.locator('#state-ssm')).toContainText('"L": 48');
  await expect(ssm.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
  const share = ssm.getByTestId('share-link');
  await expect(share).toHaveAttribute('target', '_blank');
  await expect(share).not.toHaveAttribute('href', /embed=1/);

  await page.evaluate(() => {
    const f = document.querySelector<HTMLIFrameElement>('iframe#ssm');
    f?.contentWindow?.postMessage({ type: 'seqscope:step', by: 2 }, location.origin);
  });
  await expect(ssm.getByTestId('step-counter')).toHaveText('2 / 48');
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});

test('bad messages change nothing and each gets one warning', async ({ page }) => {
  const w = watch(page);
  await page.goto('examples/course.html');
  const ssm = page.frameLocator('iframe#ssm');
  await expect(ssm.getByTestId('step-counter')).toHaveText('0 / 32');
  const bad = [
    'hello',
    null,
    { type: 'seqscope:set', params: { L: 48 } },
    { type: 'seqscope:setState', state: { params: { L: 'abc' } } },
    { type: 'seqscope:setState', state: { params: { L: 100000 } } },
    { type: 'seqscope:setState', state: { stage: 'nope' } },
    { type: 'seqscope:setState', state: { params: { nope: 1 } } },
    { type: 'seqscope:setState', state: { k: 999 } },
    { type: 'seqscope:play', extra: 'x'.repeat(100_000) },
  ];
  await page.evaluate((msgs) => {
    const f = document.querySelector<HTMLIFrameElement>('iframe#ssm');
    for (const m of msgs) f?.contentWindow?.postMessage(m, location.origin);
    // Made in the page: an own "__proto__" key, as JSON.parse makes it (Playwright's transfer drops it).
    f?.contentWindow?.postMessage(
      JSON.parse('{"type":"seqscope:setState","state":{"__proto__":{"k":1}}}'),
      '*',
    );
  }, bad);
  await expect
    .poll(() => w.warnings.filter((t) => t.startsWith('seqscope: ignored')).length)
    .toBe(bad.length + 1);
  expect(Math.max(...w.warnings.map((t) => t.length))).toBeLessThan(400);
  await expect(ssm.getByTestId('step-counter')).toHaveText('0 / 32');
  await expect(ssm.getByTestId('param-L')).toHaveValue('32');
  await expect(ssm.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  expect(w.errors).toEqual([]);
});

test('with parentOrigin set, a page of another origin is not obeyed and gets nothing', async ({
  page,
  baseURL,
}) => {
  const w = watch(page);
  // The same server under another name is another origin: localhost vs 127.0.0.1.
  const other = String(baseURL).replace('127.0.0.1', 'localhost');
  await page.goto(`${other}examples/course.html`);
  await page.evaluate((base) => {
    const f = document.createElement('iframe');
    f.id = 'pinned';
    f.src = `${base}index.html?stage=ssm&embed=1&L=32&parentOrigin=${encodeURIComponent(base.replace(/\/seqscope\/$/, ''))}`;
    document.body.append(f);
    (window as unknown as { __got: unknown[] }).__got = [];
    window.addEventListener('message', (e) => {
      if (e.source === f.contentWindow) (window as unknown as { __got: unknown[] }).__got.push(e.data);
    });
  }, String(baseURL));
  const pinned = page.frameLocator('iframe#pinned');
  await expect(pinned.getByTestId('step-counter')).toHaveText('0 / 32');
  await page.evaluate(() => {
    const f = document.querySelector<HTMLIFrameElement>('iframe#pinned');
    f?.contentWindow?.postMessage({ type: 'seqscope:setState', state: { params: { L: 48 } } }, '*');
    f?.contentWindow?.postMessage({ type: 'seqscope:getState' }, '*');
  });
  await page.waitForTimeout(800);
  await expect(pinned.getByTestId('step-counter')).toHaveText('0 / 32');
  expect(await page.evaluate(() => (window as unknown as { __got: unknown[] }).__got)).toEqual([]);
  expect(w.warnings.some((t) => t.includes('is not parentOrigin'))).toBe(true);
});

test('the frames size themselves to their content and the wheel scrolls the course page', async ({
  page,
}) => {
  await page.goto('examples/course.html');
  const frame = page.locator('iframe#ssm');
  await expect(page.frameLocator('iframe#ssm').getByTestId('check-rec-conv')).toHaveAttribute(
    'data-ok',
    'true',
  );
  await expect
    .poll(async () => {
      const [outer, inner] = await Promise.all([
        frame.evaluate((f) => f.getBoundingClientRect().height),
        page
          .frameLocator('iframe#ssm')
          .locator('html')
          .evaluate((h) => h.scrollHeight),
      ]);
      return Math.abs(outer - inner);
    })
    .toBeLessThan(8);
  await frame.scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.scrollY);
  const box = await frame.boundingBox();
  if (!box) throw new Error('no frame box');
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 300));
  await page.mouse.wheel(0, 600);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before + 100);
});

test('a frame sandboxed without allow-same-origin says what the author must add', async ({ page }) => {
  await page.goto('examples/course.html');
  await page.evaluate(() => {
    const f = document.createElement('iframe');
    f.id = 'sandboxed';
    f.setAttribute('sandbox', 'allow-scripts');
    f.src = '../index.html?stage=ssm&embed=1';
    document.body.append(f);
  });
  await expect(page.frameLocator('iframe#sandboxed').getByTestId('sandbox-message')).toContainText(
    'allow-same-origin',
  );
});

test('every built stage in embed mode has no serious or critical accessibility violation', async ({
  page,
}) => {
  await page.goto('?stage=ssm');
  const ids = await page
    .locator('nav.path li[data-state="built"]')
    .evaluateAll((lis) => lis.map((li) => (li.getAttribute('data-testid') ?? '').replace('path-', '')));
  expect(ids.length).toBeGreaterThan(0);
  // A minute a stage: axe on SwiftShader under load takes tens of seconds for one stage.
  test.setTimeout(60_000 * ids.length);
  for (const id of ids) {
    await page.goto(`?stage=${id}&embed=1`);
    await expect(page.getByTestId(`stage-${id}`)).toBeVisible();
    await expect(page.getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu)/);
    await expect(page.getByTestId(`stage-${id}`)).toHaveAttribute('aria-busy', 'false');
    await expectAccessible(page);
  }
});

test('the Embed button gives an iframe snippet that opens exactly this view in embed mode', async ({
  page,
}) => {
  await page.goto('?stage=ssm&L=40&N=6&k=3');
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
  await page.getByTestId('embed-button').click();
  const code = await page.getByTestId('embed-snippet').inputValue();
  expect(code).toMatch(/^<iframe src="[^"]+" title="Seqscope: [^"]+"/);
  const src = (/src="([^"]+)"/.exec(code)?.[1] ?? '').replace(/&amp;/g, '&');
  const url = new URL(src);
  expect(url.searchParams.get('embed')).toBe('1');
  expect(url.searchParams.get('L')).toBe('40');
  expect(url.searchParams.get('k')).toBe('3');
  await page.goto(src);
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText('3 / 40');
  await expect(page.locator('footer')).toHaveCount(0);
});
