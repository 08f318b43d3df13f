/**
 * A commune desk choosing a procedure another kind of unit receives and decides (residence
 * registration: the commune police): the review says so in words under the competent unit,
 * and a refused intake stays on the review, where the units are, instead of going back to the form.
 */
import { expect, test } from '@playwright/test';
import { signIn } from './support/shots';

test('the review tells a commune desk that residence registration is the police’s, in words', async ({ page }) => {
  await signIn(page, 'motcua.anphu');
  await page.getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
  await page.getByLabel('Tìm thủ tục').fill('tạm trú');
  await page.getByRole('button', { name: 'Chọn thủ tục Đăng ký tạm trú', exact: true }).click();
  await page.getByRole('button', { name: 'Đánh dấu đã nhận tất cả' }).click();
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await page.getByLabel('Họ và tên người nộp').fill('Nguyễn Văn Bình');
  await page.getByLabel('Họ tên người đăng ký').fill('Nguyễn Văn Bình');
  await page.getByRole('textbox', { name: /^Số định danh cá nhân\*?$/ }).fill('079199001234');
  await page.getByLabel('Địa chỉ đăng ký').fill('Số 5, thôn Đông, xã An Phú');
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();

  await expect(page.getByRole('heading', { name: 'Bước 4/4: Xem lại và tiếp nhận' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('Đơn vị tiếp nhận không có thẩm quyền giải quyết thủ tục này: thủ tục do Công an cấp xã tiếp nhận và giải quyết.');
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  const refused = page.locator('.error-box');
  await expect(refused).toContainText('không có thẩm quyền giải quyết thủ tục 1.004194: thủ tục này do Công an cấp xã tiếp nhận và giải quyết');
  await expect(refused).not.toContainText('"commune"');
  await expect(page.getByRole('heading', { name: 'Bước 4/4: Xem lại và tiếp nhận' })).toBeVisible();
});
