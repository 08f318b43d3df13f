/**
 * A citizen on a phone (390×844): the public pages fit the screen — the header wraps by
 * whole items, tables become cards, nothing scrolls sideways — and work as on a desktop.
 */
import { expect, test, type Page } from '@playwright/test';
import { shooter } from './support/shots';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** Nothing wider than the screen: a page that scrolls sideways hides part of every row. */
async function fitsTheScreen(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

test('a citizen on a phone finds a procedure, reads it and looks a dossier up', async ({ page }, info) => {
  const shot = shooter(info);
  await page.goto('/');
  await expect(page).toHaveURL(/\/public$/);
  const header = page.locator('header.topbar');
  await expect(page.getByRole('link', { name: 'Thủ tục hành chính', exact: true })).toBeVisible();
  // the header wraps by whole items: two lines at most, never one syllable per line
  expect((await header.boundingBox())?.height ?? 0).toBeLessThanOrEqual(100);
  await shot(page, 'catalog', [page.getByRole('heading', { name: 'Danh mục thủ tục hành chính' }), page.getByText(/Tìm thấy \d+ thủ tục/)]);
  await fitsTheScreen(page);

  await page.getByLabel('Tên hoặc mã thủ tục').fill('khai sinh');
  await page.getByLabel('Tên hoặc mã thủ tục').press('Enter');
  await expect(page).toHaveURL(/q=khai/);
  await expect(page.getByText('Tìm thấy 3 thủ tục')).toBeVisible();
  await shot(page, 'search', page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }));
  await fitsTheScreen(page);

  await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
  await shot(page, 'procedure', [page.getByRole('heading', { name: 'Đăng ký khai sinh', level: 1 }), page.getByRole('heading', { name: 'Thành phần hồ sơ' })]);
  await expect(page.getByText('Tờ khai đăng ký khai sinh').first()).toBeVisible();
  await fitsTheScreen(page);

  await page.getByRole('link', { name: 'Tra cứu hồ sơ', exact: true }).click();
  await shot(page, 'lookup', page.getByLabel('Mã hồ sơ'));
  await fitsTheScreen(page);
});
