// The built site under its own Content-Security-Policy with Trusted Types enforced: no violation, no
// console error, on both backends; every request stays on the site's origin.

import { expect, test } from '@playwright/test';
import { open, watch } from './helpers';

for (const query of ['?stage=ssm&k=3', '?stage=ssm&backend=cpu&k=3'])
  test(`no CSP or Trusted Types violation on ${query}`, async ({ page }) => {
    const w = watch(page);
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
          `${e.violatedDirective} ${e.blockedURI} ${e.sample}`,
        ),
      );
    });
    await open(page, query);
    await expect(page.locator('.katex').first()).toBeVisible();
    await page.getByTestId('step-forward').click();
    await expect(page.getByTestId('check-stepper')).toHaveAttribute('data-ok', 'true');
    await page.waitForTimeout(300);
    expect(violations).toEqual([]);
    expect(w.errors.filter((e) => /Content Security Policy|TrustedHTML|TrustedScriptURL/i.test(e))).toEqual(
      [],
    );
    expect(w.errors).toEqual([]);
    expect(w.offHost).toEqual([]);
    const policy = await page.evaluate(
      () =>
        document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
    );
    expect(policy).toContain("require-trusted-types-for 'script'");
    expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });
