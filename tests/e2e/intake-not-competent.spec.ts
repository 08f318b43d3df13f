/**
 * A commune desk's procedure list: procedures another kind of unit receives and decides
 * (residence registration: the commune police; the child's health-insurance card: social
 * insurance) are listed last, with why, and cannot be chosen — the officer sends the citizen
 * to the right office instead of filling a form the server will refuse. The applicant's phone
 * is checked at its field and kept in national form.
 */
import { expect, test } from '@playwright/test';
import { signIn } from './support/shots';

test('a commune desk is told it cannot receive residence registration, and why, before any form', async ({ page }) => {
  await signIn(page, 'motcua.anphu');
  await page.getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Bước 1/4: Chọn thủ tục' })).toBeVisible();
  await page.getByLabel('Tìm thủ tục').fill('tạm trú');
  const choose = page.getByRole('button', { name: 'Chọn thủ tục Đăng ký tạm trú', exact: true });
  await expect(choose).toBeDisabled();
  await expect(choose).toHaveAccessibleDescription('Không tiếp nhận tại đơn vị này: thủ tục do Công an cấp xã tiếp nhận và giải quyết.');

  // what the desk decides itself is listed before what it cannot receive
  await page.getByLabel('Tìm thủ tục').fill('đăng ký');
  const rows = page.locator('.table-wrap tbody tr');
  await expect(rows.first()).not.toHaveClass(/unavailable/);
  await expect(rows.last()).toHaveClass(/unavailable/);
  await expect(page.getByRole('button', { name: 'Chọn thủ tục Đăng ký thường trú', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Chọn thủ tục Đăng ký khai sinh', exact: true })).toBeEnabled();
});

test('the desk is told at the field when the applicant\'s phone is not a Vietnamese number', async ({ page }) => {
  await signIn(page, 'motcua.anphu');
  await page.getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
  await page.getByLabel('Tìm thủ tục').fill('chứng thực chữ ký');
  await page.getByRole('button', { name: /^Chọn thủ tục Chứng thực chữ ký/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Bước 2/4: Kiểm tra giấy tờ' })).toBeVisible();
  await page.getByRole('button', { name: 'Đánh dấu đã nhận tất cả' }).click();
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Bước 3\/4/ })).toBeVisible();
  await page.getByLabel('Họ và tên người nộp').fill('Nguyễn Văn Bình');
  const phone = page.getByRole('textbox', { name: 'Số điện thoại', exact: true });
  await phone.fill('09123');
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await expect(page.getByText(/^Số điện thoại không hợp lệ: nhập 10 chữ số bắt đầu bằng 0/)).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Bước 3\/4/ })).toBeVisible();
  await phone.fill('+84 912 345 678');
  await page.getByLabel('Người yêu cầu chứng thực').fill('Nguyễn Văn Bình');
  await page.getByLabel('Tên giấy tờ, văn bản').fill('Giấy uỷ quyền');
  await page.getByLabel('Số giấy tờ cần chứng thực chữ ký').fill('1');
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Bước 4/4: Xem lại và tiếp nhận' })).toBeVisible();
  await page.getByRole('button', { name: '3. Thông tin hồ sơ', exact: true }).click();
  await expect(phone).toHaveValue('0912345678');
});
