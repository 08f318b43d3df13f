/**
 * A person, not a role, holds a dossier: a specialist takes one, sees it under "Tôi đang
 * giữ" with their name in the inbox's handler column; a leader who signs a dossier is
 * offered the next one of the list they came from, and opens it in one click.
 */
import { expect, test, type Page } from '@playwright/test';
import { shooter, signIn } from './support/shots';

const CODE = /^[A-Z0-9.-]+$/;

async function firstDossier(page: Page, box: string): Promise<void> {
  await page.goto(`/dossiers?box=${box}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const first = page.getByRole('main').getByRole('link', { name: CODE }).first();
  await expect(first).toBeVisible();
  await first.click();
  await expect(page.getByRole('heading', { name: 'Thao tác' })).toBeVisible();
}

test('a specialist takes a dossier and finds it under "Tôi đang giữ" with their name', async ({ page }, info) => {
  const shot = shooter(info);
  await signIn(page, 'chuyenvien.anphu');
  const me = (await page.getByTestId('whoami').textContent()) ?? '';
  await firstDossier(page, 'mine');
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  const holding = page.getByRole('region', { name: 'Người giữ hồ sơ' });
  await expect(holding).toBeVisible();
  await holding.getByRole('button', { name: 'Nhận xử lý' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Bạn đã nhận xử lý' })).toBeVisible();
  await expect(holding).toContainText(me);
  await shot(page, 'dossier-claimed', holding);

  await page.goto('/dossiers?box=held');
  await expect(page.getByRole('tab', { name: /Tôi đang giữ/ })).toHaveAttribute('aria-selected', 'true');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: code, exact: true }) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(me);
  await shot(page, 'inbox-held', row);
});

test('a leader who signs a dossier is offered the next one of the list and opens it in one click', async ({ page }, info) => {
  const shot = shooter(info);
  await signIn(page, 'lanhdao.anphu');
  // the unit's open dossiers: some wait for a signature, the rest for others
  await page.goto('/dossiers?box=unit');
  const links = page.getByRole('main').getByRole('link', { name: CODE });
  await expect(links.first()).toBeVisible();
  const hrefs = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).filter((h): h is string => h !== null);
  expect(hrefs.length, 'open dossiers at the unit').toBeGreaterThan(1);
  // the first dossier of the list (not its last) that waits for a signature
  const approve = page.getByRole('button', { name: /^Phê duyệt/ });
  let first = '';
  for (const href of hrefs.slice(0, -1)) {
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'Thao tác' })).toBeVisible();
    if (await approve.count() > 0) { first = href; break; }
  }
  expect(first, 'a dossier awaits a signature').not.toBe('');
  await approve.first().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
  const status = page.getByRole('status').filter({ hasText: /Đã thực hiện/ });
  await expect(status).toBeVisible();
  const next = status.getByRole('button', { name: /Mở hồ sơ tiếp theo/ });
  await expect(next).toBeVisible();
  await shot(page, 'next-offered', next);
  await next.click();
  await expect(page).not.toHaveURL(new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await expect(page.getByRole('heading', { name: 'Thao tác' })).toBeVisible();
  await shot(page, 'next-opened', page.getByRole('heading', { level: 1 }));
});
