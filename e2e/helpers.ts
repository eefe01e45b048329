// Shared e2e helpers: open a view, collect console errors and off-host requests, read the test contract,
// and stageSuite: the tests every stage has (contract on both backends, Chinese, themes, axe), from a table.

import { expect, type Locator, type Page, test } from '@playwright/test';

export interface Watch {
  errors: string[];
  warnings: string[];
  offHost: string[];
}

/** Records console errors/warnings, page errors, and any request that leaves 127.0.0.1. */
export function watch(page: Page): Watch {
  const w: Watch = { errors: [], warnings: [], offHost: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
    if (m.type() === 'warning') w.warnings.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1') w.offHost.push(r.url());
  });
  return w;
}

/**
 * Opens the ssm stage (unless the query names another stage: the site opens on the introduction) and
 * waits until the engine has picked a backend and computed.
 */
export async function open(page: Page, query = '', path = ''): Promise<void> {
  const q = /[?&]stage=/.test(query)
    ? query
    : query
      ? `?stage=ssm&${query.replace(/^\?/, '')}`
      : '?stage=ssm';
  await page.goto(`${path}${q}`);
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
  await expect(page.getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu)/);
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', /true|false/);
}

/** The locator's text contains every one of `parts`, each awaited in turn. */
export async function expectContainsAll(locator: Locator, parts: ReadonlyArray<string | RegExp>) {
  for (const part of parts) await expect(locator).toContainText(part);
}

/** Watches the page, then opens it (open) on `backend`: the watch, for the errors and requests seen. */
export async function openWatched(page: Page, query: string, backend: 'webgpu' | 'cpu') {
  const w = watch(page);
  await open(page, query);
  await expectBackend(page, backend);
  return w;
}

export async function counter(page: Page): Promise<{ k: number; n: number }> {
  const text = (await page.getByTestId('step-counter').textContent()) ?? '';
  const m = /^(\d+) \/ (\d+)$/.exec(text.trim());
  if (!m) throw new Error(`step-counter text is "${text}"`);
  return { k: Number(m[1]), n: Number(m[2]) };
}

/** Waits until the current step's values have been read back (the y_k readout is a number). */
export async function stepReady(page: Page): Promise<string> {
  const y = page.getByTestId('y-current');
  await expect(y).toHaveText(/^−?\d/);
  return (await y.textContent()) ?? '';
}

export async function expectChecksOk(page: Page): Promise<void> {
  for (const name of ['rec-conv', 'stepper']) {
    const c = page.getByTestId(`check-${name}`);
    await expect(c).toHaveAttribute('data-ok', 'true');
    const err = Number(await c.getAttribute('data-maxerr'));
    expect(Number.isFinite(err)).toBe(true);
  }
}

/** No console error or page error was seen, and nothing was fetched from another host. */
export function expectClean(w: Watch): void {
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
}

/** Opens any stage and waits for its root, a chosen backend, and (for stages with checks) computed checks. */
export async function openStage(page: Page, id: string, query = ''): Promise<void> {
  const sep = query.startsWith('&') || query === '' ? '' : '&';
  await page.goto(`?stage=${id}${sep}${query}`);
  await expect(page.getByTestId(`stage-${id}`)).toBeVisible();
  await expect(page.getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu)/);
}

/**
 * The contract of ../shared/STAGES.md for one stage: root, an svg or canvas diagram and KaTeX math inside
 * it, the badge, the playback controls and counter (unless the stage has none), every check computed and
 * ok with a finite data-maxerr, the GPU panel and the kernel view.
 */
export async function expectContract(
  page: Page,
  id: string,
  opts: { playback: boolean; checks: readonly string[] },
): Promise<void> {
  const root = page.getByTestId(`stage-${id}`);
  await expect(root).toBeVisible();
  await expect(root.locator('svg, canvas').first()).toBeVisible();
  await expect(root.locator('.katex').first()).toBeVisible();
  await expect(page.getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu)/);
  for (const tid of ['play', 'step-forward', 'step-back', 'scrubber', 'step-counter'])
    await expect(page.getByTestId(tid)).toHaveCount(opts.playback ? 1 : 0);
  if (opts.playback) await expect(page.getByTestId('step-counter')).toHaveText(/^\d+ \/ \d+$/);
  for (const name of opts.checks) {
    const c = page.getByTestId(`check-${name}`);
    await expect(c).toHaveAttribute('data-ok', 'true');
    expect(Number.isFinite(Number(await c.getAttribute('data-maxerr')))).toBe(true);
  }
  await expect(page.getByTestId('gpu-panel')).toBeAttached();
  await expect(page.getByTestId('kernel-source')).toBeAttached();
}

/** axe-core over the page: no serious or critical violation (the message lists what was found). */
export async function expectAccessible(page: Page): Promise<void> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
  ).toEqual([]);
}

/** The visible interface text of the page in Chinese has no English left (math, code and names aside). */
export async function expectNoEnglishLeft(page: Page): Promise<void> {
  const { englishLeft } = await import('../app/i18n/englishLeft');
  const text = await page.evaluate(() => {
    const skip = (el: Element | null): boolean =>
      !!el?.closest(
        // noscript: its text is never shown while JavaScript runs (index.html's fallback sentence).
        'noscript, .katex, code, pre, kbd, [data-testid="kernel-source"], [data-testid="engine-backend"], [lang="en"]',
      );
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (!skip(n.parentElement) && n.textContent?.trim()) out.push(n.textContent.trim());
    for (const el of document.querySelectorAll('[aria-label], [title]'))
      if (!skip(el)) out.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
    return out.filter(Boolean);
  });
  const left = text.flatMap((s) => englishLeft(s).map((w) => `${w} in "${s.slice(0, 60)}"`));
  expect(left).toEqual([]);
}

/** Loads the page with navigator.gpu removed, as in a browser without WebGPU. */
export async function withoutWebGpu(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
}

export type Backend = 'webgpu' | 'cpu';

/** The engine badge names this backend, then why or which adapter ("webgpu · …", "cpu · forced"). */
export async function expectBackend(page: Page, backend: Backend): Promise<void> {
  await expect(page.getByTestId('engine-backend')).toHaveText(new RegExp(`^${backend} · `));
}

/** The page's computed background, text colour and type size (what the themes change). */
export const look = (page: Page) =>
  page.evaluate(() => {
    const s = getComputedStyle(document.documentElement);
    return { background: s.backgroundColor, color: s.color, fontSize: s.fontSize };
  });

const joinQuery = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('&');

type AxeRun = readonly [Backend, 'en' | 'zh-CN', number, ('dark' | 'projector')?];

const AXE_RUNS: readonly AxeRun[] = (['en', 'zh-CN'] as const).flatMap((lang) =>
  [360, 1280].map((width) => ['webgpu', lang, width] as const),
);

/** What stageSuite needs to know about one stage: its contract and how to wait for it, per test. */
export interface StageSuite {
  id: string;
  playback: boolean;
  /** The checks the stage shows on this backend (all computed and ok once it is ready). */
  checks(backend: Backend): readonly string[];
  /** Waits until the stage has computed on this backend. */
  ready(page: Page, backend: Backend): Promise<void>;
  /** The contract test on both backends: its query, title, and what it checks before and after. */
  contract: {
    title: string;
    query?: string;
    before?(page: Page, backend: Backend): Promise<void>;
    after?(page: Page, backend: Backend): Promise<void>;
  };
  /** The page in Chinese (WebGPU): its query, an element that must read `text`, and more checks. */
  chinese: {
    query?: string;
    heading(page: Page): Locator;
    text: string | RegExp;
    after?(page: Page): Promise<void>;
  };
  /** The themes' test opens the stage with this query. */
  themesQuery?: string;
  /**
   * axe and the page's width, on WebGPU in both languages at 360 and 1280 px, and in the `more` runs
   * (backend, language, viewport width, theme).
   */
  axe: {
    query?: string;
    more?: ReadonlyArray<AxeRun>;
    after?(page: Page): Promise<void>;
  };
}

/** Registers the tests every stage has, from its table: each stage spec adds only what is its own. */
/** The axe runs on the CPU backend at both widths, which stages without a GPU-only view add. */
export const AXE_ON_CPU: ReadonlyArray<AxeRun> = [
  ['cpu', 'en', 360],
  ['cpu', 'en', 1280],
];

export function stageSuite(s: StageSuite): void {
  test.describe(`the ${s.id} stage`, () => suiteTests(s));
}

function suiteTests(s: StageSuite): void {
  const contract = (backend: Backend) => ({ playback: s.playback, checks: s.checks(backend) });
  for (const backend of ['webgpu', 'cpu'] as const)
    test(`keeps the contract on ${backend}: ${s.contract.title}, no console errors`, async ({ page }) => {
      const w = watch(page);
      if (backend === 'cpu') await withoutWebGpu(page);
      await openStage(page, s.id, s.contract.query);
      await expectBackend(page, backend);
      await s.ready(page, backend);
      await s.contract.before?.(page, backend);
      await expectContract(page, s.id, contract(backend));
      await s.contract.after?.(page, backend);
      await expect(page.locator('.katex-error')).toHaveCount(0);
      expectClean(w);
    });

  test('?lang=zh-CN speaks Chinese with no English left, and the contract still holds', async ({ page }) => {
    await openStage(page, s.id, joinQuery('lang=zh-CN', s.chinese.query));
    await expectBackend(page, 'webgpu');
    await s.ready(page, 'webgpu');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(s.chinese.heading(page)).toHaveText(s.chinese.text);
    await expectContract(page, s.id, contract('webgpu'));
    await s.chinese.after?.(page);
    await expectNoEnglishLeft(page);
  });

  test('?theme=dark and ?theme=projector change the page', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openStage(page, s.id, s.themesQuery);
    const light = await look(page);
    await openStage(page, s.id, joinQuery('theme=dark', s.themesQuery));
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const dark = await look(page);
    expect(dark.background).not.toBe(light.background);
    expect(dark.color).not.toBe(light.color);
    // Projector keeps a white page (black on white at full contrast); its type grows and its ink changes.
    await openStage(page, s.id, joinQuery('theme=projector', s.themesQuery));
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'projector');
    const projector = await look(page);
    expect(Number.parseFloat(projector.fontSize)).toBeGreaterThan(Number.parseFloat(light.fontSize));
    expect(projector.color).not.toBe(light.color);
  });

  for (const [backend, lang, width, theme] of [...AXE_RUNS, ...(s.axe.more ?? [])])
    test(`axe finds nothing serious on ${backend}, ${lang}, ${width} px${theme ? `, ${theme}` : ''}, and nothing is wider than the page`, async ({
      page,
    }) => {
      // axe over many cells on a software GPU, with other work beside it, takes a while.
      test.setTimeout(Math.max(test.info().timeout, 180_000));
      if (backend === 'cpu') await withoutWebGpu(page);
      await page.setViewportSize({ width, height: 800 });
      await openStage(page, s.id, joinQuery(`lang=${lang}`, theme && `theme=${theme}`, s.axe.query));
      await expectBackend(page, backend);
      await s.ready(page, backend);
      await s.axe.after?.(page);
      await expectAccessible(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    });
}
