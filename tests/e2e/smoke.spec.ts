import { expect, test } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test('sign in, switch language, sign out', async ({ page }, info) => {
  const shot = shooter(info);
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: /Đăng nhập/ })).toBeVisible();
  await shot(page, 'login');
  await page.getByLabel('Tên đăng nhập').fill('motcua.anphu');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await shot(page, 'login-refused');
  await signIn(page, 'motcua.anphu');
  await expect(page.getByTestId('whoami')).toBeVisible();
  await shot(page, 'signed-in');
  // the token is kept in memory, not in storage: a reload restores the session from the refresh cookie
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain('eyJ');
  await page.reload();
  await expect(page.getByTestId('whoami')).toBeVisible();
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.getByLabel('Language').selectOption('vi');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/login/);
  // signed out for good: a reload does not bring the session back
  await page.goto('/dossiers');
  await expect(page).toHaveURL(/\/login/);
});
