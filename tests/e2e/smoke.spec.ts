import { expect, test } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test('sign in, switch language, sign out', async ({ page }, info) => {
  const shot = shooter(info);
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: /Đăng nhập/ })).toBeVisible();
  await shot(page, 'login', page.getByLabel('Tên đăng nhập'));
  await page.getByLabel('Tên đăng nhập').fill('motcua.anphu');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await shot(page, 'login-refused', page.getByRole('alert'));
  await signIn(page, 'motcua.anphu');
  await expect(page.getByTestId('whoami')).toBeVisible();
  await shot(page, 'signed-in', page.getByRole('heading', { level: 1 }));
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

test('the login page loads in at most 250 KB, compressed and cacheable', async ({ page }) => {
  const loaded: { url: string; bytes: number; encoding: string; cache: string }[] = [];
  page.on('requestfinished', (request) => {
    void (async () => {
      const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
      const headers = (await response?.allHeaders()) ?? {};
      loaded.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, encoding: headers['content-encoding'] ?? '', cache: headers['cache-control'] ?? '' });
    })();
  });
  await page.goto('/login', { waitUntil: 'networkidle' });
  await expect(page.getByLabel('Tên đăng nhập')).toBeVisible();
  await expect.poll(() => loaded.some((r) => /\/assets\/index-[^/]+\.js$/.test(r.url))).toBe(true);
  const total = loaded.reduce((sum, r) => sum + r.bytes, 0);
  expect(total, loaded.map((r) => `${r.bytes} ${r.url}`).join('\n')).toBeLessThanOrEqual(250 * 1024);
  for (const r of loaded.filter((x) => /\/assets\/.+\.(js|css)$/.test(x.url))) {
    expect(r.encoding, r.url).toBe('br');
    expect(r.cache, r.url).toContain('immutable');
  }
  expect(loaded.find((r) => new URL(r.url).pathname === '/login')?.cache).toBe('no-cache');
});
