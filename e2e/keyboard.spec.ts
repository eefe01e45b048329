// The keyboard alone, on every built stage (issue 10): Tab from the top reaches every control, parameter,
// the playback controls and scrubber, the value tables and the GPU and kernel panels, in the page's order,
// each with a visible focus ring, and comes out at the end (nothing traps it; Shift+Tab walks back). The
// playback keys work where there is playback, never while a field has focus; a region that scrolls keeps
// its arrows; on the introduction (no playback) space scrolls the page. And reduced motion.

import { expect, type Page, test } from '@playwright/test';
import { counter, open, stepReady } from './helpers';
import { expectChecksOk, openCase, STAGES } from './resilience';

// A page of many focusable parts, stepped one Tab at a time, on a software GPU beside other work.
test.describe.configure({ timeout: 240_000 });

interface Stop {
  seen: number;
  tag: string;
  /** data-testid of the element or its nearest ancestor that has one. */
  within: string;
  /** A focus indicator is drawn: :focus-visible matches and an outline or box shadow shows. */
  ring: boolean;
}

/** Records every focus change as a Stop, and marks each focused element with the order it was reached in. */
async function recordFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __stops: unknown[] };
    w.__stops = [];
    let n = 0;
    document.addEventListener('focusin', (e) => {
      const el = e.target as HTMLElement;
      if (!el.dataset.tabSeen) el.dataset.tabSeen = String(n++);
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) > 0;
      w.__stops.push({
        seen: Number(el.dataset.tabSeen),
        tag: el.tagName.toLowerCase(),
        within: el.closest('[data-testid]')?.getAttribute('data-testid') ?? '',
        ring: el.matches(':focus-visible') && (outline || cs.boxShadow !== 'none'),
      });
    });
  });
}

/** Elements a Tab should reach: focusable in the tab order, rendered, not disabled, not inert. */
const tabbable = (page: Page) =>
  page.evaluate(() => {
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
    // Inside a closed <details> only its own summary shows.
    const hiddenInDetails = (el: Element): boolean => {
      for (let d = el.parentElement?.closest('details'); d; d = d.parentElement?.closest('details'))
        if (!d.open && !(el.tagName === 'SUMMARY' && el.parentElement === d)) return true;
      return false;
    };
    return [...document.querySelectorAll<HTMLElement>(sel)]
      .filter(
        (el) =>
          el.tabIndex >= 0 &&
          !(el as HTMLButtonElement).disabled &&
          !el.closest('[inert]') &&
          !hiddenInDetails(el) &&
          el.getClientRects().length > 0 &&
          getComputedStyle(el).visibility !== 'hidden',
      )
      .map((el) => ({
        seen: el.dataset.tabSeen ?? null,
        what: `${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.slice(0, 30)}`,
      }));
  });

/**
 * The number of tabbable elements once it stops changing: parts that load after the checks (the race's
 * reference rows, say) would otherwise make the walk longer than the count it was planned from.
 */
async function settledTabbable(page: Page): Promise<number> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const n = (await tabbable(page)).length;
    if (n === last) return n;
    last = n;
    await page.waitForTimeout(500);
  }
  return last;
}

for (const s of STAGES)
  test(`${s.id}: Tab reaches every control, table and panel in order, focus visible, no trap`, async ({
    page,
  }) => {
    await openCase(page, s, 'webgpu');
    await expectChecksOk(page, s, 'webgpu');
    const expected = await settledTabbable(page);
    await recordFocus(page);
    for (let i = 0; i < expected + 2; i++) await page.keyboard.press('Tab');
    const stops = await page.evaluate(() => (window as unknown as { __stops: Stop[] }).__stops);

    // Every stop in document order from the top, then out of the page and back in at the first one.
    const first = stops.findIndex((x, i) => i > 0 && x.seen === 0);
    expect(first, 'focus comes back to the top after the last element').toBeGreaterThan(0);
    const walk = stops.slice(0, first);
    expect(walk.map((x) => x.seen)).toEqual(walk.map((_, i) => i));
    const order = await page.evaluate((n) => {
      const els = Array.from({ length: n }, (_, i) => document.querySelector(`[data-tab-seen="${i}"]`));
      return els.every(
        (el, i) =>
          i === 0 ||
          ((els[i - 1]?.compareDocumentPosition(el as Node) ?? 0) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
      );
    }, walk.length);
    expect(order, 'Tab follows the order of the page').toBe(true);
    expect(walk.filter((x) => !x.ring).map((x) => `${x.tag} in ${x.within}`)).toEqual([]);

    // Nothing tabbable was left out.
    expect((await tabbable(page)).filter((x) => x.seen === null).map((x) => x.what)).toEqual([]);
    const within = walk.map((x) => x.within);
    const specs = await page.locator(`[data-testid="stage-${s.id}"] [data-testid^="param-"]`).count();
    expect(within.filter((w) => w.startsWith('param-')).length).toBe(specs);
    if (s.playback)
      for (const tid of ['step-back', 'play', 'step-forward', 'scrubber', 'speed'])
        expect(within).toContain(tid);
    const tables = walk.filter((x) => x.tag === 'summary' && x.within !== 'embed-button');
    expect(tables.length, 'the value tables and panels open from the keyboard').toBeGreaterThan(0);
    const stage = within.findIndex((w) => w.startsWith('param-') || w === `stage-${s.id}`);
    const gpu = within.indexOf('gpu-panel');
    const kernel = within.findIndex((w) => w === 'kernel-pick' || w === 'kernel-source');
    expect(stage).toBeGreaterThanOrEqual(0);
    if (s.panels) {
      expect(gpu, 'the GPU panel after the stage').toBeGreaterThan(stage);
      expect(kernel, 'the kernel view after the GPU panel').toBeGreaterThan(gpu);
    }

    // Shift+Tab from the top element leaves the page and comes back in at the last one, then walks back.
    const seenNow = () => page.evaluate(() => document.activeElement?.getAttribute('data-tab-seen') ?? null);
    await page.locator('[data-tab-seen="0"]').focus();
    let back: string | null = null;
    for (let i = 0; i < 3 && back === null; i++) {
      await page.keyboard.press('Shift+Tab');
      back = await seenNow();
    }
    expect(Number(back)).toBe(walk.length - 1);
    await page.keyboard.press('Shift+Tab');
    expect(Number(await seenNow())).toBe(walk.length - 2);
  });

for (const s of STAGES.filter((x) => x.playback))
  test(`${s.id}: the playback keys step, jump and play from the page`, async ({ page }) => {
    await openCase(page, s, 'webgpu');
    await page.locator('h2').first().click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await counter(page)).k).toBe(2);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await counter(page)).k).toBe(1);
    await page.keyboard.press('End');
    const { n } = await counter(page);
    await expect.poll(async () => (await counter(page)).k).toBe(n);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await counter(page)).k).toBe(0);
    await page.keyboard.press('Space');
    await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  });

test('intro has no playback: space scrolls the page and the arrows are the page’s', async ({ page }) => {
  const intro = STAGES.find((x) => x.id === 'intro');
  if (!intro) throw new Error('intro is built');
  await openCase(page, intro, 'webgpu');
  // The stage settled and the page taller than the window: one Space must then scroll it.
  await expectChecksOk(page, intro, 'webgpu');
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollHeight > innerHeight))
    .toBe(true);
  await page.locator('h2').first().click();
  const before = await page.evaluate(() => window.scrollY);
  await page.keyboard.press('Space');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before);
  await expect(page.getByTestId('step-counter')).toHaveCount(0);
});

test('space and the arrow keys drive playback, but not while a slider has focus', async ({ page }) => {
  await open(page, '?stage=ssm');
  await page.locator('h2').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText('2 / 64');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('step-counter')).toHaveText('1 / 64');
  await stepReady(page);

  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await counter(page)).k).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');

  const before = await counter(page);
  await page.getByTestId('param-N').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('param-N')).toHaveValue('9');
  expect((await counter(page)).k).toBe(before.k);
});

test('at 360 px a region wider than the page scrolls by its arrows, and the step stays', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await open(page, '?stage=ssm&k=2');
  const region = page.locator('[data-testid="stage-ssm"] section[tabindex="0"]').first();
  await region.focus();
  const wide = await region.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(wide, 'the update of a step is wider than 360 px').toBe(true);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  expect((await counter(page)).k).toBe(2);
});

test('with reduced motion nothing plays by itself and playback defaults to one step per second', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page, '?stage=ssm');
  await expect(page.getByLabel('Speed, steps per second')).toHaveValue('1');
  await page.waitForTimeout(500);
  expect((await counter(page)).k).toBe(0);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
});
