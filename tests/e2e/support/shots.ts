/**
 * Every screen a browser test passes: its main content asserted, axe-core run on it (no
 * serious or critical violation), and a screenshot kept in
 * tests/e2e/screenshots/<test>/NN-<screen>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { ROOT } from '../../faults/support/process';

export const SHOTS_DIR = join(ROOT, 'tests/e2e/screenshots');

/** The serious and critical accessibility violations on the page, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export function shooter(info: TestInfo) {
  const slug = info.title.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  const dir = join(SHOTS_DIR, slug);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  /**
   * `shows` is what the screen is for (a heading, a row, a number): a screen that renders
   * only its frame fails here instead of leaving a blank screenshot behind.
   */
  return async (page: Page, screen: string, shows: Locator | Locator[]): Promise<string> => {
    for (const l of Array.isArray(shows) ? shows : [shows]) await expect(l.first(), `${screen}: main content`).toBeVisible();
    n += 1;
    const file = join(dir, `${String(n).padStart(2, '0')}-${screen}.png`);
    await page.screenshot({ path: file, fullPage: false });
    await info.attach(screen, { path: file, contentType: 'image/png' });
    const violations = await axeViolations(page);
    if (process.env['AXE_REPORT']) {
      if (violations.length) console.log(`AXE ${screen}\n  ${violations.join('\n  ')}`);
    } else {
      expect(violations, `${screen}: accessibility (axe-core)`).toEqual([]);
    }
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
