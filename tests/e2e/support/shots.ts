/** Screenshots of every screen a test passes, kept in tests/e2e/screenshots/<test>/NN-<screen>.png. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { ROOT } from '../../faults/support/process';

export const SHOTS_DIR = join(ROOT, 'tests/e2e/screenshots');

export function shooter(info: TestInfo) {
  const slug = info.title.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  const dir = join(SHOTS_DIR, slug);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, screen: string): Promise<string> => {
    n += 1;
    const file = join(dir, `${String(n).padStart(2, '0')}-${screen}.png`);
    await page.screenshot({ path: file, fullPage: false });
    await info.attach(screen, { path: file, contentType: 'image/png' });
    return file;
  };
}

/** Signs in through the login page as a demo user (password `<username>@123`). */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(`${username}@123`);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('whoami').waitFor();
}
