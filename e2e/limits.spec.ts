// Sizes past what the device allows (issue 10): a GPU that reports a small maxStorageBufferBindingSize gets
// the stage's sizes clamped to the largest that fits, with a notice in the reader's language saying what
// was asked, what the GPU allows and what is shown; the controls and the URL take the clamped size, the
// checks still pass, nothing errs. The CPU backend has no such limit and keeps the asked sizes.

import { expect, type Page, test } from '@playwright/test';
import { expectClean, expectContainsAll, openStage, watch } from './helpers';
import { expectChecksOk, STAGES, smallBindingLimit } from './resilience';

const ssm = STAGES.find((s) => s.id === 'ssm');
const attention = STAGES.find((s) => s.id === 'attention');
if (!ssm || !attention) throw new Error('ssm and attention are built stages');

/** The ssm stage on a GPU whose bindings hold 16 KiB, once its badge names `backend`; the page's watch. */
async function openSsmWithLimit(page: Page, query: string, backend: RegExp) {
  const w = watch(page);
  await smallBindingLimit(page, 16384);
  await openStage(page, 'ssm', query);
  await expect(page.getByTestId('engine-backend')).toHaveText(backend);
  return w;
}

test('ssm L=256, N=32 on a GPU with 16 KiB per binding runs L=128, says so, and its checks pass', async ({
  page,
}) => {
  const w = await openSsmWithLimit(page, 'L=256&N=32&k=2', /^webgpu/);
  const notice = page.getByTestId('url-message');
  await expectContainsAll(notice, ['L=256 needs', '32 KiB', '16 KiB', 'showing L=128']);
  await expect(page.getByTestId('param-L')).toHaveValue('128');
  await expect(page.getByTestId('param-N')).toHaveValue('32');
  await expect(page.getByTestId('step-counter')).toHaveText('2 / 128');
  await expect.poll(() => new URL(page.url()).searchParams.get('L')).toBe('128');
  await expectChecksOk(page, ssm, 'webgpu');
  expectClean(w);
});

test('the notice speaks Chinese on ?lang=zh-CN', async ({ page }) => {
  await smallBindingLimit(page, 16384);
  await openStage(page, 'ssm', 'L=256&N=32&lang=zh-CN');
  await expect(page.getByTestId('url-message')).toContainText('改为显示 L=128');
  await expect(page.getByTestId('url-message')).toContainText('GPU 单个绑定');
});

test('attention at 128 KiB per binding clamps the head dim d (its 4,096-key cost sweep), checks pass', async ({
  page,
}) => {
  const w = watch(page);
  await smallBindingLimit(page, 131072);
  await openStage(page, 'attention', 'd=8&h=4&hk=2');
  // The K cache of the longest sweep, 4096 × h_k × d floats: 256 KiB at d = 8, 128 KiB at d = 4.
  await expect(page.getByTestId('url-message')).toContainText('showing d=4');
  await expect(page.getByTestId('param-d')).toHaveValue('4');
  await page.getByTestId('step-forward').click();
  await expectChecksOk(page, attention, 'webgpu');
  expectClean(w);
});

test('a reader who asks for more again is clamped again; the notice says the latest, once', async ({
  page,
}) => {
  await smallBindingLimit(page, 16384);
  await openStage(page, 'ssm', 'L=200&N=32');
  await expect(page.getByTestId('param-L')).toHaveValue('128');
  const slider = page.getByTestId('param-L');
  await slider.fill('180');
  await slider.dispatchEvent('change');
  await expect(page.getByTestId('url-message')).toContainText('L=180 needs');
  await expect(page.getByTestId('url-message').locator('li')).toHaveCount(1);
  await expect(slider).toHaveValue('128');
});

test('the CPU backend has no binding limit: the same link keeps L=256 and shows no notice', async ({
  page,
}) => {
  const w = await openSsmWithLimit(page, 'L=256&N=32&backend=cpu&k=1', /^cpu/);
  await expectChecksOk(page, ssm, 'cpu');
  await expect(page.getByTestId('param-L')).toHaveValue('256');
  await expect(page.getByTestId('url-message')).toHaveCount(0);
  expectClean(w);
});
