/**
 * The officer's action dialog says what is wrong with an input in words: under the field its
 * own message, and in the error box the field's title, never the JSON pointer. Before, the box
 * read "/inputs/book /book: phải dài…" and the field "/book: phải dài…". A register book of
 * spaces passes the form (it has characters) and is refused by the server, which trims it.
 */
import { expect, test } from '@playwright/test';
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
