/**
 * A deputy chairman signs a demo dossier: the signature block (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)
 * is on screen before signing, and an action taken while offline says it is waiting for
 * the network, then goes through once the connection is back.
 */
import { expect, test, type Page } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test('a deputy sees the signing formula before signing, an offline action says it waits for the network, and a conflict names who changed the dossier', async ({ page, context, browser }, info) => {
  const shot = shooter(info);
  await signIn(page, 'phochutich.anphu');
  const hrefs = await dossierLinks(page);
  await shot(page, 'deputy-inbox', page.getByRole('main').getByRole('link', { name: /^[A-Z0-9.-]+$/ }));

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
  // the history records the capacity the deputy signed in
  await page.getByRole('tab', { name: 'Lịch sử xử lý' }).click();
  const capacity = page.getByRole('tabpanel').getByText(/Ký với thẩm quyền: .*KT\. CHỦ TỊCH \/ PHÓ CHỦ TỊCH/).first();
  await expect(capacity).toBeVisible();
  await shot(page, 'deputy-history-capacity', capacity);

  // the desk opens the next action on it; meanwhile a colleague at the desk takes it first
  const href = new URL(page.url()).pathname;
  const desk = await (await browser.newContext()).newPage();
  await signIn(desk, 'motcua.anphu');
  await desk.goto(href);
  const next = desk.locator('.action-list button').first();
  await expect(next).toBeVisible();
  const label = (await next.textContent()) ?? '';
  await next.click();
  const colleague = await (await browser.newContext()).newPage();
  await signIn(colleague, 'motcua.anphu');
  await colleague.goto(href);
  // the colleague sees the same first action (else the dossier moved between the two loads)
  await expect(colleague.locator('.action-list button').first()).toHaveText(label);
  await colleague.getByRole('button', { name: label, exact: true }).click();
  await confirmAction(colleague);
  await expect(colleague.getByRole('status').filter({ hasText: /Đã thực hiện/ })).toBeVisible();

  await confirmAction(desk);
  const lower = label.charAt(0).toLocaleLowerCase('vi') + label.slice(1);
  const notice = desk.getByRole('alert').filter({ hasText: `${lower} lúc` });
  await expect(notice).toContainText(/Hồ sơ vừa được .+ lúc \d{2}:\d{2}/);
  await shot(desk, 'conflict-named', notice);
});

/**
 * Confirms the open action. Some returns ask the desk to tick what it witnessed (a marriage:
 * both parties present): the officer ticks every box, as at the counter.
 */
async function confirmAction(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  for (const box of await dialog.getByRole('checkbox').all()) await box.check();
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
}

/**
 * The addresses of the dossiers waiting for the deputy, then of the first page of all their
 * dossiers. Each list is read once its first row (or its empty notice) is shown: the table
 * fills after the heading.
 */
async function dossierLinks(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const query of ['box=mine', 'box=all&page=1']) {
    await page.goto(`/dossiers?${query}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const links = page.getByRole('main').getByRole('link', { name: /^[A-Z0-9.-]+$/ });
    // the deputy's own box may be empty once earlier runs signed what waited there
    await expect(links.first().or(page.getByText('Không có hồ sơ nào trong danh sách này'))).toBeVisible();
    out.push(...(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).filter((h): h is string => h !== null));
  }
  return out;
}
