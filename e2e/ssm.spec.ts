// The ssm stage on WebGPU and on the CPU backend: rendering, playback, live checks, no console errors; the
// kit's contract, both languages, the themes, axe at phone and desktop widths, no sideways overflow or
// clipped math, symbol links both ways, values readable by focus, narration, focus, and layout shift.

import { expect, test } from '@playwright/test';
import {
  counter,
  expectBackend,
  expectChecksOk,
  open,
  openStage,
  openWatched,
  stageSuite,
  stepReady,
  watch,
  withoutWebGpu,
} from './helpers';

const CHECKS = ['rec-conv', 'stepper'] as const;

test('the ssm stage renders on webgpu, play and step move the counter, the checks are ok, no console errors', async ({
  page,
}) => {
  const w = await openWatched(page, '?stage=ssm', 'webgpu');
  await expect(page.getByTestId('step-counter')).toHaveText('0 / 64');
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');

  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('step-counter')).toHaveText('2 / 64');
  await stepReady(page);
  await page.getByTestId('step-back').click();
  await expect(page.getByTestId('step-counter')).toHaveText('1 / 64');
  await stepReady(page);

  await page.getByTestId('play').click();
  await expect.poll(async () => (await counter(page)).k, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
  await page.getByTestId('play').click();
  const paused = (await counter(page)).k;
  await stepReady(page);
  await page.waitForTimeout(600);
  expect((await counter(page)).k).toBe(paused);

  await expectChecksOk(page);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  const stepperErr = Number(await page.getByTestId('check-stepper').getAttribute('data-maxerr'));
  expect(stepperErr).toBeLessThan(1e-3);
  expect(w.errors).toEqual([]);
  expect(w.offHost).toEqual([]);
});

test('with WebGPU unavailable the badge says cpu and the stage still works', async ({ page }) => {
  const w = watch(page);
  await withoutWebGpu(page);
  await open(page, '?stage=ssm');
  await expectBackend(page, 'cpu');
  await expect(page.getByTestId('engine-backend')).toHaveAttribute('title', /navigator\.gpu/);
  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await page.getByTestId('step-forward').click();
  await expect(page.getByTestId('step-counter')).toHaveText('3 / 64');
  await stepReady(page);
  await expectChecksOk(page);
  expect(w.errors).toEqual([]);
});

test('?backend=cpu forces the CPU backend and keeps it in the link', async ({ page }) => {
  const w = watch(page);
  await open(page, '?stage=ssm&backend=cpu&k=5');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^cpu · forced/);
  await expect(page.getByTestId('step-counter')).toHaveText('5 / 64');
  await stepReady(page);
  await expectChecksOk(page);
  await page.getByTestId('step-forward').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('6');
  expect(new URL(page.url()).searchParams.get('backend')).toBe('cpu');
  expect(w.errors).toEqual([]);
});

stageSuite({
  id: 'ssm',
  playback: true,
  checks: () => CHECKS,
  // The batched run's check is computed and the current step's values are read back.
  async ready(page) {
    await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
    await stepReady(page);
  },
  contract: {
    title: 'a step read back',
    query: 'k=3',
    async before(page) {
      await expect(page.getByTestId('check-stepper')).toHaveAttribute('data-label', /\(3 steps\)/);
    },
  },
  chinese: { query: 'k=2', heading: (page) => page.locator('#sec-continuous'), text: '1. 连续系统' },
  // axe over every cell of a long sequence is slow on a software GPU: a small N and L, same views.
  axe: {
    query: 'N=4&L=16&k=2',
  },
});

test('no sideways page overflow at 360, 770 and 1280px, and wide math scrolls in a focusable region', async ({
  page,
}) => {
  await openStage(page, 'ssm', 'k=4');
  await stepReady(page);
  for (const width of [360, 770, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(300);
    const over = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(over, `page overflow at ${width}px`).toBeLessThanOrEqual(0);
    // Anything in the stage that is wider than its box must be a named region the keyboard can reach.
    const clipped = await page.getByTestId('stage-ssm').evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('*')]
        .filter((el) => {
          const s = getComputedStyle(el);
          // Boxes that clip or scroll sideways; 1px screen-reader-only boxes (MathML, hidden legends) aside.
          const wide = el.getBoundingClientRect().width > 2 && !el.closest('.visually-hidden');
          return s.overflowX !== 'visible' && wide && el.scrollWidth > el.clientWidth + 1;
        })
        .filter((el) => el.tabIndex < 0 || !el.getAttribute('aria-label'))
        .map((el) => `${el.tagName}.${el.className}`),
    );
    expect(clipped, `clipped at ${width}px`).toEqual([]);
  }
});

for (const width of [761, 770, 785])
  test(`at ${width}px both B̄ columns are whole, beside Ā, inside their box`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await openStage(page, 'ssm');
    for (const m of ['zoh', 'bilinear']) {
      const box = await page.getByTestId(`disc-${m}`).boundingBox();
      const a = await page.getByTestId(`abar-${m}`).boundingBox();
      const b = await page.getByTestId(`bbar-${m}`).boundingBox();
      if (!box || !a || !b) throw new Error(`disc-${m} has no box`);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
      expect(b.x).toBeGreaterThan(a.x + a.width);
      expect(Math.abs(b.y - a.y)).toBeLessThan(2);
    }
  });

test('symbols link the text and the diagram both ways, by hover and by keyboard focus', async ({ page }) => {
  await openStage(page, 'ssm');
  const stage = page.getByTestId('stage-ssm');
  // Text → diagram, by hover: B̄ in the prose highlights both B̄ grids.
  await stage.locator('.sym[data-sym="Bbar"]').first().hover();
  await expect(stage.locator('.grids [data-sym="Bbar"].sym-active')).toHaveCount(2);
  // Text → diagram, by focus: x in the prose highlights the input node of the data flow.
  await page.mouse.move(0, 0);
  await stage.locator('.sym[data-sym="x"]').first().focus();
  await expect(stage.locator('.flow [data-sym="x"]')).toHaveClass(/sym-active/);
  // Diagram → text, by focus: the ZOH Ā grid highlights Ā in the prose; by hover: the kernel's bars K̄.
  await page.getByTestId('abar-zoh').focus();
  await expect(stage.locator('.sym[data-sym="Abar"]').first()).toHaveClass(/sym-active/);
  await page.getByTestId('conv-kernel').hover();
  await expect(stage.locator('.sym[data-sym="K"]').first()).toHaveClass(/sym-active/);
  for (const s of ['dt', 'A', 'B', 'C', 'Abar', 'Bbar', 'K', 'x', 'h', 'y'])
    await expect(stage.locator(`.sym[data-sym="${s}"]`).first(), `the text links ${s}`).toBeAttached();
});

test('every grid value is readable by focus and arrow keys, and in the table alternative', async ({
  page,
}) => {
  await openStage(page, 'ssm', 'N=4');
  const grid = page.getByTestId('abar-zoh');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('abar-zoh-readout')).toHaveText(/^Ā\[1,0\] = [−-]?\d/);
  const table = page.getByTestId('disc-zoh-table');
  await table.locator('summary').click();
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tbody tr').first().locator('td')).toHaveCount(5);
  const shown = (await page.getByTestId('abar-zoh-readout').textContent())?.split(' = ')[1];
  await expect(table.locator('tbody tr').nth(1).locator('td').first()).toHaveText(shown ?? '');
});

test('the narrator says the step in words when the reader steps', async ({ page }) => {
  await openStage(page, 'ssm', 'signal=sine');
  await page.getByTestId('step-forward').click();
  await stepReady(page);
  await expect(page.getByTestId('narration')).toHaveText(
    /^Step 1 of 64\. The input x at step 1 is −?\d.*, the output y is −?\d.*, and the largest entry of the state h is h\[\d+\] = −?\d/,
  );
});

test('stepping back to 0 with the step-back button focused keeps the focus on it', async ({ page }) => {
  await openStage(page, 'ssm', 'k=2');
  const back = page.getByTestId('step-back');
  await back.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-counter')).toHaveText('0 / 64');
  await expect(back).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  await expect(back).toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
});

// Before the fixes (scrollbar space, math fonts before the lazy parts render, measured widths before the
// first paint, room for the stage) the page shifted by 0.24–0.28 at 360px, 0.40 at 770px, 0.099 at 1280px.
for (const width of [360, 770, 1280])
  test(`the page shifts less than 0.1 (cumulative layout shift) while it loads at ${width}px`, async ({
    page,
  }) => {
    await page.addInitScript(() => {
      const w = window as unknown as { __cls: number };
      w.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
          if (!e.hadRecentInput) w.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.setViewportSize({ width, height: 800 });
    await openStage(page, 'ssm');
    await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(1500);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    expect(cls).toBeLessThan(0.1);
  });
