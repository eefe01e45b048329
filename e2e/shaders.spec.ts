// Shaders load with their stage: the first JavaScript file carries no WGSL, and the ssm stage fetches only
// the kernels of the s4 family and common/ (each WGSL file is its own small chunk, fetched on first use).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { open, watch } from './helpers';

const basenames = (dir: string) =>
  readdirSync(join('shaders', dir))
    .filter((f) => f.endsWith('.wgsl'))
    .map((f) => f.replace(/\.wgsl$/, ''));

test('the ssm stage downloads only its own WGSL, and the entry script none', async ({ page }) => {
  const w = watch(page);
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.js')) scripts.push(r.url());
  });
  await open(page, '?stage=ssm&k=2');
  await expect(page.getByTestId('engine-backend')).toHaveText(/^webgpu · /);
  const withWgsl: string[] = [];
  for (const url of scripts) {
    const text = await (await page.request.get(url)).text();
    if (text.includes('@compute')) withWgsl.push(url.split('/').pop() ?? url);
  }
  const entry = await page.evaluate(
    () => (document.querySelector('script[type="module"]') as HTMLScriptElement | null)?.src ?? '',
  );
  expect(entry).not.toBe('');
  expect(withWgsl).not.toContain(entry.split('/').pop());
  const allowed = new Set([...basenames('s4'), ...basenames('common')]);
  const fetched = withWgsl.map((f) => f.replace(/-[\w-]{8}\.js$/, ''));
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.filter((n) => !allowed.has(n))).toEqual([]);
  expect(fetched).toContain('ssmScan');
  expect(w.errors).toEqual([]);
});
