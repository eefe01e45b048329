// Shareable links restore exactly; malformed values show a message and fall back to their defaults.

import { expect, test } from '@playwright/test';
import { counter, expectContainsAll, open, stepReady, watch } from './helpers';

test('a shared link restores exactly the same params and step', async ({ page, context }) => {
  await open(page, '?stage=ssm&signal=sine&L=40&N=6&dt=0.25&disc=bilinear&k=7');
  await expect(page.getByTestId('step-counter')).toHaveText('7 / 40');
  await page.getByTestId('step-forward').click();
  await page.getByTestId('param-signal').selectOption('spike');
  await expect(page.getByTestId('step-counter')).toHaveText('8 / 40');
  const y = await stepReady(page);
  await expect.poll(() => new URL(page.url()).searchParams.get('signal')).toBe('spike');
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('8');
  const link = page.url();
  expect(new URL((await page.getByTestId('share-link').getAttribute('href')) ?? '', link).href).toBe(link);
  const q = new URL(link).searchParams;
  expect(Object.fromEntries(q)).toEqual({
    stage: 'ssm',
    signal: 'spike',
    L: '40',
    N: '6',
    dt: '0.25',
    disc: 'bilinear',
    k: '8',
  });

  const other = await context.newPage();
  const w = watch(other);
  await other.goto(link);
  await expect(other.getByTestId('step-counter')).toHaveText('8 / 40');
  await expect(other.getByTestId('param-signal')).toHaveValue('spike');
  await expect(other.getByTestId('param-N')).toHaveValue('6');
  await expect(other.getByTestId('param-dt')).toHaveValue('0.25');
  await expect(other.getByTestId('param-disc')).toHaveValue('bilinear');
  expect(await stepReady(other)).toBe(y);
  await expect(other.getByTestId('url-message')).toHaveCount(0);
  expect(w.errors).toEqual([]);
});

test('an unknown stage shows a message and opens the default stage instead', async ({ page }) => {
  const w = watch(page);
  await page.goto('?stage=nope');
  const msg = page.getByTestId('url-message');
  await expect(msg).toBeVisible();
  await expect(msg).toContainText('Unknown stage "nope"');
  await expect(page.locator('article[data-testid^="stage-"]')).toHaveCount(1);
  expect(w.errors).toEqual([]);
});

test('a malformed URL shows a message and uses the defaults for the bad values only', async ({ page }) => {
  const w = watch(page);
  await open(page, '?stage=ssm&L=abc&N=6&dt=99&signal=square&k=-3');
  const msg = page.getByTestId('url-message');
  await expect(msg).toBeVisible();
  await expectContainsAll(msg, ['L=', 'dt=', 'signal=', 'k=']);
  await expect(page.getByTestId('param-L')).toHaveValue('64');
  await expect(page.getByTestId('param-N')).toHaveValue('6');
  await expect(page.getByTestId('param-dt')).toHaveValue('0.1');
  await expect(page.getByTestId('param-signal')).toHaveValue('step');
  expect(await counter(page)).toEqual({ k: 0, n: 64 });
  await expect(page.getByTestId('check-rec-conv')).toHaveAttribute('data-ok', 'true');
  await expect.poll(() => new URL(page.url()).searchParams.get('L')).toBe('64');
  expect(new URL(page.url()).searchParams.get('N')).toBe('6');
  expect(w.errors).toEqual([]);
});
