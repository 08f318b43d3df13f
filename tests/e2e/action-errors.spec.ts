/**
 * The officer's action dialog says what is wrong with an input in words: under the field its
 * own message, and in the error box the field's title, never the JSON pointer. Before, the box
 * read "/inputs/book /book: phải dài…" and the field "/book: phải dài…". A register book of
 * spaces passes the form (it has characters) and is refused by the server, which trims it.
 * The bulk dialog lists each failed item's issues under its message, the same way.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { shooter, signIn } from './support/shots';
import { receiveLateBirth } from './support/dossiers';

test('an input the server refuses is said under its field in words and named by its title in the box', async ({ page, request }, info) => {
  const shot = shooter(info);
  // given a late birth registration waiting for An Phú's civil-status officer
  const code = await receiveLateBirth(request);
  await signIn(page, 'chuyenvien.anphu');
  await page.goto(`/dossiers/${encodeURIComponent(code)}`);
  // when the officer proposes the result with a register book of spaces
  await page.getByRole('button', { name: 'Trình ký kết quả' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Số đăng ký').fill('112/2026');
  await dialog.getByLabel('Quyển số').fill('   ');
  await dialog.getByLabel('Số định danh cá nhân cấp cho trẻ').fill('079226000112');
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  // then the field says why, in words alone
  const fieldError = dialog.locator('[id$="book__error"]');
  await expect(fieldError).toHaveText('Phải dài ít nhất 1 ký tự');
  // and the box names the field by its title, with no pointer
  const box = dialog.locator('.error-box');
  await expect(box).toContainText('Quyển số: Phải dài ít nhất 1 ký tự');
  await expect(box).not.toContainText('/inputs');
  await expect(box).not.toContainText('/book');
  await shot(page, 'action-input-refused', [box, fieldError]);
});

async function tokenOf(request: APIRequestContext, username: string): Promise<{ Authorization: string }> {
  const login = await request.post('/api/auth/login', { data: { username, password: `${username}@123` } });
  expect(login.ok(), await login.text()).toBe(true);
  return { Authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
}

test('a bulk action says under each failed dossier which input was refused, by its title', async ({ page, request }, info) => {
  const shot = shooter(info);
  // given a late birth registration proposed for signature
  const code = await receiveLateBirth(request);
  const proposed = await request.post(`/api/dossiers/${encodeURIComponent(code)}/actions`, {
    headers: await tokenOf(request, 'chuyenvien.anphu'),
    data: { step: 'register', action: 'propose', inputs: { registrationNo: '113/2026', book: '01/2026', personalId: '079226000113' } },
  });
  expect(proposed.status(), await proposed.text()).toBe(200);
  // when the leader sends it back in bulk with a reason of spaces
  await signIn(page, 'lanhdao.anphu');
  await page.goto('/dossiers');
  await page.getByRole('checkbox', { name: `Chọn hồ sơ ${code}` }).check();
  await page.getByRole('button', { name: 'Xử lý hàng loạt' }).click();
  const bulk = page.getByRole('dialog');
  const sendBack = (await bulk.getByRole('option', { name: /Trả lại để xử lý lại/ }).textContent()) ?? '';
  await bulk.getByRole('combobox', { name: /Thao tác chung/ }).selectOption({ label: sendBack });
  await bulk.getByLabel('Lý do').fill('   ');
  await bulk.getByRole('button', { name: /Thực hiện cho 1 hồ sơ/ }).click();
  // then the dossier's row says it failed, and why, naming the reason by its title
  await expect(bulk.getByText(/Kết quả:.*1 không thực hiện được/)).toBeVisible();
  const row = bulk.getByRole('row').filter({ hasText: code });
  await expect(row.getByRole('listitem')).toHaveText('Lý do: Phải dài ít nhất 1 ký tự');
  await shot(page, 'bulk-item-refused', row);
});
