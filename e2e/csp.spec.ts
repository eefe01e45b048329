// The built site under its own Content-Security-Policy with Trusted Types enforced, on every built stage and
// both backends: the stage computes, steps once where it has playback (the race: runs a first row), and
// opens a value table and the kernel view, with no violation, no console error, every request on the origin.

import { expect, type Page, test } from '@playwright/test';
import { watch } from './helpers';
import { expectChecksOk, openCase, recordViolations, STAGES } from './resilience';

// The introduction compiles every model's kernels on a software GPU first.
test.describe.configure({ timeout: 240_000 });

async function policyOf(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
  );
}

for (const s of STAGES)
  for (const backend of ['webgpu', 'cpu'] as const)
    test(`${s.id} on ${backend}: no CSP or Trusted Types violation${s.playback ? ' through a step' : ''}`, async ({
      page,
    }) => {
      const w = watch(page);
      const violations = await recordViolations(page);
      await openCase(page, s, backend);
      await expect(page.locator('.katex').first()).toBeVisible();
      if (s.playback) {
        await page.getByTestId('step-forward').click();
        await expect(page.getByTestId('step-counter')).toHaveText(/^1 \//);
      }
      await expectChecksOk(page, s, backend);
      // What renders late: a value table, and the kernel view's source on WebGPU.
      await page.locator(`[data-testid="stage-${s.id}"] details > summary`).first().click();
      if (backend === 'webgpu' && s.panels)
        await expect(page.getByTestId('kernel-source')).toContainText(/fn |@compute/);
      // The race computes when Run is pressed: a first measurement, then Stop.
      if (s.id === 'race' && backend === 'webgpu') {
        await page.getByTestId('race-run').click();
        await expect
          .poll(async () => Number(await page.getByTestId('race-progress').getAttribute('aria-valuenow')), {
            timeout: 120_000,
          })
          .toBeGreaterThan(0);
        await page.getByTestId('race-run').click();
      }
      await page.waitForTimeout(300);
      expect(violations).toEqual([]);
      expect(w.errors.filter((e) => /Content Security Policy|TrustedHTML|TrustedScriptURL/i.test(e))).toEqual(
        [],
      );
      expect(w.errors).toEqual([]);
      expect(w.offHost).toEqual([]);
      const policy = await policyOf(page);
      expect(policy).toContain("require-trusted-types-for 'script'");
      expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    });

test('the recorder sees a violation: a plain string into innerHTML is refused under Trusted Types', async ({
  page,
}) => {
  const violations = await recordViolations(page);
  const ssm = STAGES.find((x) => x.id === 'ssm');
  if (!ssm) throw new Error('ssm is built');
  await openCase(page, ssm, 'cpu');
  const refused = await page.evaluate(() => {
    try {
      document.createElement('div').innerHTML = '<b>x</b>';
      return false;
    } catch (e) {
      return e instanceof TypeError;
    }
  });
  expect(refused).toBe(true);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations[0]).toMatch(/require-trusted-types-for/);
});
