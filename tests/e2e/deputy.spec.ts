/**
 * A deputy chairman signs a demo dossier: the signature block (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)
 * is on screen before signing, and an action taken while offline says it is waiting for
 * the network, then goes through once the connection is back.
 */
import { expect, test } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test('a deputy sees the signing formula before signing, and an offline action says it waits for the network', async ({ page, context }, info) => {
  const shot = shooter(info);
  await signIn(page, 'phochutich.anphu');
  await page.goto('/dossiers?box=all');
  const links = page.getByRole('main').getByRole('link', { name: /^[A-Z0-9.-]+$/ });
  await expect(links.first()).toBeVisible();
  const hrefs = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).filter((h): h is string => h !== null);
  await shot(page, 'deputy-inbox', links.first());

  expect(hrefs.length).toBeGreaterThan(0);
  // the first dossier waiting for the deputy's signature
  const formula = page.getByText(/^Ký: .*KT\. CHỦ TỊCH/);
  let found = false;
  for (const href of hrefs) {
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'Thao tác' })).toBeVisible();
    if (await formula.count() > 0) { found = true; break; }
  }
  expect(found, 'a demo dossier awaits the deputy').toBe(true);
  await shot(page, 'deputy-dossier', formula);

  const button = page.getByRole('button', { name: 'Phê duyệt, ký', exact: true });
  await button.click();
  const dialog = page.getByRole('dialog');
  const block = dialog.getByRole('figure', { name: 'Thể thức ký trên văn bản' });
  await expect(block).toContainText('KT. CHỦ TỊCH');
  await expect(block).toContainText('PHÓ CHỦ TỊCH');
  await shot(page, 'deputy-signing-block', block);

  await context.setOffline(true);
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(dialog.getByText(/Đang chờ kết nối mạng/)).toBeVisible();
  await shot(page, 'deputy-offline', dialog.getByText(/Đang chờ kết nối mạng/));
  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: /Đã thực hiện/ })).toBeVisible();
  await shot(page, 'deputy-signed', page.getByRole('status').filter({ hasText: /Đã thực hiện/ }));
});
