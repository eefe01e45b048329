// Shared e2e helpers: open a view, collect console errors and off-host requests, read the test contract.

import { expect, type Page } from '@playwright/test';

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

/** Opens the site with a query string and waits until the engine has picked a backend and computed. */
export async function open(page: Page, query = '', path = ''): Promise<void> {
  await page.goto(`${path}${query}`);
  await expect(page.getByTestId('stage-ssm')).toBeVisible();
  await expect(page.getByTestId('engine-backend')).toHaveText(/^(webgpu|cpu)/);
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', /true|false/);
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
