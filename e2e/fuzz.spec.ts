// URL fuzz in the browser (issue 10; app/fuzz.test.ts does the same parse in Node): 1,000 random query
// strings through the real page, each parsed by the page's own parseSearch and the result sent to an
// embedded stage as seqscope:setState, whose view must then equal that parse; and a sample of 20 as real
// navigations, whose view must equal the parse of the address it was opened with. Never an uncaught error,
// a blank page, markup injected from a value, or a notice quoting more than 80 characters of one.

import { expect, type Page, test } from '@playwright/test';
import { Rng } from '../engine/util/rng';
import { watch } from './helpers';
import { INJECTED } from './resilience';

const STAGE_IDS = ['intro', 'rnn', 'attention', 'ssm', 'mamba', 'race', 'nope', '', '__proto__'];
const KEYS = [
  ...['L', 'N', 'dt', 'disc', 'signal', 'text', 'H', 'd', 'seed', 'eps', 'pos', 'bf', 'h', 'hk', 'causal'],
  ...['k', 'lang', 'theme', 'embed', 'stages', 'parentOrigin', 'statements', '__proto__', 'constructor', 'x'],
];
const GOOD = ['step', 'sine', 'noise', 'spike', 'zoh', 'bilinear', 'on', 'off', '1', '2', '4', '8', '0.5'];
const MARKUP = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', '<svg onload=alert(1)>'];
const NASTY = [
  ...MARKUP,
  ...['', ' ', '0', '-1', '1e309', 'NaN', '0x10', '1.5', '999999999999', '__proto__', 'constructor', 'null'],
  ...['%00', '\u0000'],
  ...['\u202e', '状态', 'a'.repeat(3000), 'https://evil.example', '*', 'dark', 'zh-CN', 'cpu', 'ssm,rnn'],
];

function queries(seed: number, count: number): string[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
  const value = () => {
    const r = rng.next();
    if (r < 0.35) return pick(NASTY);
    if (r < 0.6) return pick(GOOD);
    if (r < 0.9) return String(Math.round(rng.next() * 10 ** Math.floor(rng.next() * 4)));
    return Array.from({ length: 1 + Math.floor(rng.next() * 10) }, () =>
      String.fromCharCode(32 + Math.floor(rng.next() * 0x2fff)),
    ).join('');
  };
  return Array.from({ length: count }, () => {
    const q = new URLSearchParams();
    // The stage changes in a quarter of the sets, so most sets act on a stage already on screen.
    if (rng.next() < 0.25) q.set('stage', pick(STAGE_IDS));
    for (let j = 0, n = 1 + Math.floor(rng.next() * 6); j < n; j++) q.append(pick(KEYS), value());
    // A sentence made of markup in some sets: the stages that show the reader's words must show it as text.
    if (rng.next() < 0.15) q.set('text', pick(MARKUP));
    return `?${q}`;
  });
}

/** Every uncaught error and unhandled rejection of every frame, on window.__uncaught of the top page. */
async function recordUncaught(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const top = window.top as unknown as { __uncaught?: string[] };
    top.__uncaught ??= [];
    const list = top.__uncaught;
    window.addEventListener('error', (e) => list.push(`error: ${e.message}`));
    window.addEventListener('unhandledrejection', (e) => list.push(`rejection: ${String(e.reason)}`));
  });
}

/** What a notice may show at most: the sentence around a value quoted to 80 characters. */
const MAX_NOTICE = 400;

/** Five minutes for a fuzz run, the page watched and its uncaught errors recorded in every frame. */
async function fuzzWatch(page: Page) {
  test.setTimeout(300_000);
  const w = watch(page);
  await recordUncaught(page);
  return w;
}

test('1,000 random URL parameter sets through one embedded page: each view equals the parse', async ({
  page,
}) => {
  const w = await fuzzWatch(page);
  await page.goto('examples/course.html');
  await page.evaluate(() => {
    for (const f of document.querySelectorAll('iframe')) f.remove();
    const f = document.createElement('iframe');
    f.id = 'fuzz';
    f.src = '../index.html?stage=ssm&embed=1&backend=cpu';
    f.style.width = '800px';
    f.style.height = '600px';
    document.body.prepend(f);
  });
  const frame = page.frameLocator('iframe#fuzz');
  await expect(frame.getByTestId('stage-ssm')).toBeVisible();
  await expect(frame.getByTestId('engine-backend')).toHaveText(/^cpu/);

  const sets = queries(2026, 1000);
  const report = await page.evaluate(
    async ({ sets, injected }) => {
      const f = document.querySelector<HTMLIFrameElement>('iframe#fuzz');
      const child = f?.contentWindow as (Window & typeof globalThis) | null | undefined;
      const hooks = child?.__seqscope;
      if (!child || !hooks)
        return { done: 0, mismatches: ['no hooks'], injected: [], blank: 0, switches: 0, markup: 0 };
      const mismatches: string[] = [];
      const found: string[] = [];
      let blank = 0;
      let done = 0;
      let switches = 0;
      let markup = 0;
      const tick = () => new Promise((r) => setTimeout(r, 0));
      for (const q of sets) {
        const want = hooks.parse(q);
        if (want.stageId !== hooks.view().stageId) switches++;
        if (/[<>]/.test(String(want.params.text ?? ''))) markup++;
        const state: Record<string, unknown> = { stage: want.stageId, params: want.params, k: want.k };
        if (want.lang) state.lang = want.lang;
        if (want.theme) state.theme = want.theme;
        child.postMessage({ type: 'seqscope:setState', state }, '*');
        const same = () => {
          const v = hooks.view();
          return (
            v.stageId === want.stageId &&
            JSON.stringify(v.params) === JSON.stringify(want.params) &&
            v.k === want.k &&
            (!want.lang || v.lang === want.lang) &&
            (!want.theme || v.theme === want.theme)
          );
        };
        for (let i = 0; i < 200 && !same(); i++) await tick();
        if (!same()) mismatches.push(`${q.slice(0, 120)} → ${JSON.stringify(hooks.view()).slice(0, 200)}`);
        const bad = child.document.querySelector(injected);
        if (bad) found.push(`${q.slice(0, 80)}: ${bad.outerHTML.slice(0, 80)}`);
        if (!child.document.getElementById('root')?.firstElementChild) blank++;
        done++;
      }
      return { done, mismatches, injected: found, blank, switches, markup };
    },
    { sets, injected: INJECTED },
  );
  expect(report.done).toBe(1000);
  expect(report.mismatches).toEqual([]);
  expect(report.injected).toEqual([]);
  expect(report.blank).toBe(0);
  // The sets did switch stages and did put markup-like sentences on screen.
  expect(report.switches).toBeGreaterThan(100);
  expect(report.markup).toBeGreaterThan(30);
  // After the last set the stage it names renders and computes; nothing was thrown on the way.
  const last = await page.evaluate(() => {
    const f = document.querySelector<HTMLIFrameElement>('iframe#fuzz');
    return f?.contentWindow?.__seqscope?.view().stageId ?? '';
  });
  await expect(frame.getByTestId(`stage-${last}`)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __uncaught: string[] }).__uncaught)).toEqual([]);
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});

test('20 random URLs as real navigations: the view is the parse, notices are short, nothing injected', async ({
  page,
}) => {
  const w = await fuzzWatch(page);
  const uncaught = () => page.evaluate(() => (window as unknown as { __uncaught: string[] }).__uncaught);
  for (const [i, q] of queries(7, 20).entries()) {
    // Half of them on the CPU backend, the rest on WebGPU.
    const search = i % 2 === 0 ? `${q}&backend=cpu` : q;
    await page.goto(search);
    await expect(page.locator('[data-testid^="stage-"]').first()).toBeVisible();
    const view = () => page.evaluate(() => window.__seqscope?.view());
    const parse = (x: string) => page.evaluate((y) => window.__seqscope?.parse(y), x);
    expect(await view(), search.slice(0, 120)).toEqual(await parse(search));
    // The address the page writes back (normalised) opens the same view, with nothing left to complain of.
    await page.waitForTimeout(400); // urlSync writes the address 200 ms after a change
    const written = await page.evaluate(() => window.location.search);
    expect({ ...(await parse(written)), notices: 0 }).toEqual({ ...(await view()), notices: 0 });
    expect((await parse(written))?.notices, written).toBe(0);
    expect(await page.locator(INJECTED).count(), search.slice(0, 120)).toBe(0);
    for (const text of await page.locator('[data-testid="url-message"] li').allTextContents())
      expect(text.length, text.slice(0, 120)).toBeLessThan(MAX_NOTICE);
    expect(await uncaught(), search.slice(0, 120)).toEqual([]);
  }
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});
