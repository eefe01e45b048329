// The "What the GPU did" panel and the "Kernel" view on the ssm stage: with WebGPU (SwiftShader) the
// dispatches of the run are listed, the traced scan's HBM ↔ SRAM traffic is drawn with its table, and the
// kernel view shows the WGSL that ran and follows the picked kernel; on the CPU backend both say in words
// that no kernel ran; in Chinese no English is left in the panel; axe finds nothing serious.

import { expect, type Page, test } from '@playwright/test';
import { englishLeft } from '../app/i18n/englishLeft';
import { openStage, watch } from './helpers';

const PANELS = ['[data-testid="gpu-panel"]', '[data-testid="kernel-source"]'];

/**
 * The panels' own text and labels, as expectNoEnglishLeft reads the whole page; code, WGSL and the kernel
 * picker's options (kernel and entry-point names, identifiers of the WGSL) aside.
 */
async function panelText(page: Page): Promise<string[]> {
  return page.evaluate((roots) => {
    const out: string[] = [];
    for (const root of roots.flatMap((r) => [...document.querySelectorAll(r)])) {
      const skip = (el: Element | null) => !!el?.closest('code, pre, kbd, select, [lang="en"]');
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (!skip(n.parentElement) && n.textContent?.trim()) out.push(n.textContent.trim());
      for (const el of root.querySelectorAll('[aria-label], [aria-valuetext], [title]'))
        if (!skip(el))
          for (const a of ['aria-label', 'aria-valuetext', 'title']) out.push(el.getAttribute(a) ?? '');
    }
    return out.filter(Boolean);
  }, PANELS);
}

test('with WebGPU the panel lists the dispatches and the kernel view shows the WGSL that ran', async ({
  page,
}) => {
  const w = watch(page);
  await openStage(page, 'ssm', 'L=32&N=4');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu/);
  const panel = page.getByTestId('gpu-panel');
  const rows = panel.getByTestId('gpu-dispatch');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(3);
  await expect(rows.first()).toContainText('discretize.zoh');
  await expect(rows.last()).toContainText('ssmScan.recurrence');
  await expect(panel.getByTestId('gpu-summary')).toContainText(/\d+ dispatches/);
  await expect(panel.getByTestId('gpu-time')).toContainText(/GPU time: (\d|not measurable)/);
  // The scan is traced: its traffic table has a row per tensor and the figure is an image with words.
  await expect(panel.getByTestId('gpu-traffic-table').locator('tbody tr').first()).toBeVisible();
  await expect(panel.locator('svg.gpu-traffic')).toHaveAttribute('aria-label', /After frame \d+ of \d+/);

  const kernel = page.getByTestId('kernel-source');
  const code = kernel.getByRole('region');
  await expect(code).toContainText('@compute');
  await expect(code).toContainText('fn zoh');
  await expect(code).toHaveAttribute('tabindex', '0');
  const pick = kernel.getByTestId('kernel-pick');
  const scan = await pick.locator('option', { hasText: 'ssmScan.recurrence' }).last().getAttribute('value');
  await pick.selectOption(scan ?? '');
  await expect(code).toContainText('shaders/s4/ssmScan.wgsl');
  await expect(kernel.locator('.kernel-meta')).toContainText('TRACE = 1');
  await expect(kernel.locator('.kl-entry')).toHaveCount(1);
  expect(w.errors).toEqual([]);
});

test('the kernel view is read with the keyboard: arrows scroll the code instead of stepping', async ({
  page,
}) => {
  await openStage(page, 'ssm', 'L=32&N=4');
  const code = page.getByTestId('kernel-source').getByRole('region');
  await expect(code).toContainText('@compute');
  await code.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('step-counter')).toHaveText('0 / 32');
  await expect(code).toBeFocused();
});

test('on the CPU backend both panels say that the CPU reference computed the view', async ({ page }) => {
  const w = watch(page);
  await openStage(page, 'ssm', 'backend=cpu&L=32');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^cpu/);
  await expect(page.getByTestId('gpu-panel')).toContainText('The CPU reference');
  await expect(page.getByTestId('gpu-panel')).toContainText('no kernel ran');
  await expect(page.getByTestId('gpu-dispatch')).toHaveCount(0);
  await expect(page.getByTestId('kernel-source')).toContainText('No kernel ran');
  expect(w.errors).toEqual([]);
});

test('in Chinese the panels have no English left, and axe finds nothing serious in them at 360 px', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await openStage(page, 'ssm', 'lang=zh-CN&L=32&N=4');
  const panel = page.getByTestId('gpu-panel');
  await expect(panel.getByTestId('gpu-dispatch').first()).toBeVisible();
  await expect(panel).toContainText('调度');
  await expect(page.getByTestId('kernel-source').getByRole('region')).toContainText('@compute');
  await expect(page.getByTestId('gpu-time')).toContainText('GPU 时间');
  const left = (await panelText(page)).flatMap((s) => englishLeft(s).map((w) => `${w} in "${s}"`));
  expect(left).toEqual([]);
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const axe = await PANELS.reduce((b, r) => b.include(r), new AxeBuilder({ page })).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
});
