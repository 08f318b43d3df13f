/**
 * Sealed slips from the designer (issue 14): the procedure's settings carry "seal slips 01, 02
 * and 03" (`settings.sealSlips`, docs/esign.md). A designer turns it on in the procedure panel;
 * the engine's live analysis says beside it that the new workflow issues no slip to seal yet (a
 * shipped procedure's intake issues the receipt, so no note there); the draft saves with it.
 */
import { expect, test } from '@playwright/test';
import { shooter } from './support/shots';
import { newProcedure } from './support/designer';

const stamp = Date.now().toString(36).slice(-5);
const PROCEDURE = { code: `9.${stamp}`, name: `Thủ tục có phiếu đóng dấu ${stamp}` };
const SEAL = 'Đóng dấu số lên phiếu 01, 02, 03';

test('a designer turns sealed slips on in the procedure settings, with the engine\'s live check beside it', async ({ page }, info) => {
  const shot = shooter(info);
  await newProcedure(page, PROCEDURE);

  // nothing selected: the properties tab shows the procedure, its settings last
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  await expect(page.getByRole('heading', { name: 'Thông tin thủ tục' })).toBeVisible();
  const settings = page.locator('fieldset[data-field="settings"]');
  const seal = settings.getByLabel(SEAL);
  await expect(seal).not.toBeChecked();
  await expect(settings).toContainText('chứng thư số của đơn vị tiếp nhận');

  // on: the new workflow issues no slip yet, and the engine's analysis says so under the box
  await seal.check();
  await expect(seal).toBeChecked();
  const note = settings.getByRole('alert');
  await expect(note).toContainText('không phát hành phiếu nào trong số phiếu 01 (tiếp nhận), 02 (yêu cầu bổ sung), 03 (từ chối)');
  await settings.scrollIntoViewIfNeeded();
  await shot(page, 'seal-without-slip', [seal, note]);

  // off: the note goes with it; on again, it is back
  await seal.uncheck();
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await seal.check();
  await expect(settings.getByRole('alert')).toBeVisible();

  // and the draft saves with the setting
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('button', { name: 'Lưu bản nháp' })).toBeDisabled();
  await page.reload();
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  await expect(page.locator('fieldset[data-field="settings"]').getByLabel(SEAL)).toBeChecked();
});
