import { expect, test } from '@playwright/test';
import { receiveLateBirth } from './support/dossiers';
import { shooter, signIn } from './support/shots';

// Issue 13, "The national portal and shared data": the administrator connects the province to
// the national portal (Cổng DVC quốc gia), edits its status table (a code outside 1–10 is
// refused at its field), reads the sync log and the dossiers from the portal, and pulls now.
// The portal's address names no host here (`.invalid`): every call fails, visibly.

const PORTAL = 'https://dichvucong.example.invalid/api';

test('the administrator connects the province to the national portal and edits its status table', async ({ page, request }, info) => {
  const shot = shooter(info);
  await signIn(page, 'admin');
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Mở Cổng DVC quốc gia' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cổng DVC quốc gia' })).toBeVisible();
  await shot(page, 'portal-empty', page.getByText('Chưa có kết nối Cổng DVCQG nào.'));

  // a new connection: the password is write-only, the inbound token shown once
  await page.getByRole('button', { name: 'Thêm kết nối' }).click();
  const form = page.getByRole('dialog', { name: 'Thêm kết nối' });
  await form.getByLabel('Tỉnh', { exact: true }).selectOption({ index: 1 });
  await form.getByLabel('Mã đơn vị trên Cổng (madonvi)').fill('000.00.00.H99');
  await form.getByLabel('Tài khoản Cổng', { exact: true }).fill('motcua-demo');
  await form.getByLabel('Mật khẩu tài khoản Cổng').fill('mat-khau-cong-2026');
  await form.getByLabel('Địa chỉ dịch vụ cấp phiên (token)').fill(`${PORTAL}/token`);
  await form.getByLabel('Địa chỉ dịch vụ đồng bộ hồ sơ (DongBoHoSoMC)').fill(`${PORTAL}/sync`);
  await form.getByLabel('Địa chỉ dịch vụ cập nhật tiến độ (CapNhatTienDoHoSoMC)').fill(`${PORTAL}/progress`);
  await form.getByLabel('Địa chỉ dịch vụ tra cứu (TraCuuHoSo, LayHoSoTrucTuyen)').fill(`${PORTAL}/query`);
  await shot(page, 'connection-form', form.getByLabel('Tài khoản Cổng', { exact: true }));
  await form.getByRole('button', { name: 'Lưu' }).click();
  const tokenDialog = page.getByRole('dialog', { name: 'Mã tiếp nhận hồ sơ (chỉ hiện một lần)' });
  await expect(tokenDialog.getByTestId('portal-inbound-token')).toHaveText(/^pit_/);
  await shot(page, 'inbound-token', tokenDialog.getByTestId('portal-inbound-token'));
  await tokenDialog.getByRole('button', { name: 'Tôi đã lưu mã' }).click();

  const row = page.getByRole('row').filter({ hasText: `${PORTAL}/sync` });
  await expect(row).toContainText('Đang đồng bộ');
  await expect(page.locator('body')).not.toContainText('mat-khau-cong-2026');

  // editing it: the password field starts empty (write-only), a bad address is refused at its field
  await row.getByRole('button', { name: /^Sửa kết nối/ }).click();
  const edit = page.getByRole('dialog', { name: 'Sửa kết nối Cổng DVCQG' });
  await expect(edit.getByLabel('Mật khẩu mới (tuỳ chọn)')).toHaveValue('');
  await edit.getByLabel('Số hồ sơ mỗi lần gửi').fill('20');
  await edit.getByLabel('Địa chỉ dịch vụ cấp phiên (token)').fill('https://127.0.0.1/token');
  await edit.getByRole('button', { name: 'Lưu' }).click();
  const tokenField = edit.locator('.field').filter({ has: page.getByLabel('Địa chỉ dịch vụ cấp phiên (token)') });
  await expect(tokenField.getByRole('alert')).toContainText('127.0.0.1');
  await shot(page, 'connection-edit-error', tokenField.getByRole('alert'));
  await edit.getByLabel('Địa chỉ dịch vụ cấp phiên (token)').fill(`${PORTAL}/token`);
  await edit.getByRole('button', { name: 'Lưu' }).click();
  await expect(edit).toBeHidden();

  // the status table: a code outside 1–10 is refused at its field, nothing saved
  await expect(page.getByRole('heading', { name: /^Bảng mã trạng thái/ })).toBeVisible();
  const accepted = page.getByLabel('Mã trên Cổng của "Đã tiếp nhận"');
  await expect(accepted).toHaveValue('2');
  await accepted.fill('11');
  await page.getByRole('button', { name: 'Lưu bảng trạng thái' }).click();
  const field = page.locator('.field').filter({ has: accepted });
  await expect(field.getByRole('alert')).toContainText('phải là số nguyên từ 1 đến 10');
  await expect(accepted).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'status-table-error', field.getByRole('alert'));
  // a correct table saves; the code's name follows
  await accepted.fill('4');
  await page.getByRole('button', { name: 'Lưu bảng trạng thái' }).click();
  await expect(page.getByText('Đã lưu bảng trạng thái.')).toBeVisible();
  await expect(field.getByRole('alert')).toHaveCount(0);
  await accepted.fill('2');
  await page.getByRole('button', { name: 'Lưu bảng trạng thái' }).click();
  await expect(page.getByText('Đã lưu bảng trạng thái.')).toBeVisible();
  await shot(page, 'status-table', page.getByRole('cell', { name: 'Đã tiếp nhận' }).first());

  // the sync log: a dossier received now goes to the portal, which cannot be reached: its error shows
  const code = await receiveLateBirth(request);
  await page.getByRole('tab', { name: 'Nhật ký đồng bộ' }).click();
  const log = page.getByRole('region', { name: /^Nhật ký gửi/ });
  // (its first event tried and failed, with the reason; the later ones wait behind it, in order)
  const failed = log.getByRole('row').filter({ hasText: code }).filter({ hasText: /ENOTFOUND|dichvucong\.example\.invalid/ });
  await expect(async () => {
    await log.getByRole('button', { name: 'Tải lại' }).click();
    await expect(failed.first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await shot(page, 'sync-log', failed);

  // the dossiers from the portal, and a pull now: the portal's failure is said, not hidden
  await page.getByRole('tab', { name: 'Hồ sơ từ Cổng' }).click();
  await expect(page.getByRole('heading', { name: 'Hồ sơ trực tuyến nhận từ Cổng' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Hồ sơ lấy về bị từ chối' })).toBeVisible();
  await page.getByRole('button', { name: 'Lấy hồ sơ trực tuyến ngay' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cổng DVCQG không trả lời đúng' })).toBeVisible();
  await shot(page, 'inbound', page.getByText('Chưa nhận hồ sơ nào từ Cổng.'));

  // pausing it: the demo's other stories are not slowed by a portal that cannot be reached
  await row.getByRole('button', { name: /^Tạm dừng kết nối/ }).click();
  await expect(row).toContainText('Tạm dừng');
});
