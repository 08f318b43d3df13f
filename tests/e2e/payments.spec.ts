import { expect, test } from '@playwright/test';
import { receiveLateBirth } from './support/dossiers';
import { signIn } from './support/shots';

// Issue 12, "Paying online": a citizen pays a dossier's fee through the local VNPay simulator
// (started by the demo) and sees the receipt; an administrator reads the reconciliation and
// the notification templates. (The receipt read back from a real SMTP server is proved by
// server/test/notifications-email.test.ts.)

test('a citizen pays a dossier\'s fee through the gateway and gets the receipt', async ({ page, request }) => {
  const code = await receiveLateBirth(request);
  await page.goto(`/thanh-toan/${encodeURIComponent(code)}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Nộp phí, lệ phí hồ sơ ${code}`);
  // No factor yet: only the verification form.
  await expect(page.getByRole('heading', { name: 'Xác minh người nộp' })).toBeVisible();
  await page.getByLabel('4 số cuối số điện thoại hoặc số giấy tờ của người nộp').fill('0000');
  await page.getByRole('button', { name: 'Xem khoản phải nộp' }).click();
  await expect(page.getByText('Không tìm thấy hồ sơ với thông tin xác minh đã nhập.')).toBeVisible();
  await page.getByLabel('4 số cuối số điện thoại hoặc số giấy tờ của người nộp').fill('4321');
  await page.getByRole('button', { name: 'Xem khoản phải nộp' }).click();
  await expect(page.getByRole('heading', { name: 'Các khoản phí, lệ phí' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Lệ phí đăng ký khai sinh/ })).toBeVisible();
  await expect(page.getByTestId('pay-total')).toHaveText(/8\.000/);

  await page.getByRole('button', { name: /Thanh toán 8\.000/ }).click();
  // The gateway's page (the simulator, another origin): it checked the signed URL.
  await expect(page.getByRole('heading', { name: 'Cổng thanh toán mô phỏng' })).toBeVisible();
  await expect(page.locator('#amount')).toHaveText('8.000 VND');
  await expect(page.locator('#order-info')).toHaveText(`Nop phi ho so ${code}`);
  await page.getByRole('button', { name: 'Thanh toán' }).click();

  // Back on motcua: paid, with the receipt.
  await expect(page).toHaveURL(/\/thanh-toan\/ket-qua\?/);
  await expect(page.getByTestId('pay-result')).toHaveText('Thanh toán thành công');
  await expect(page.getByText(code)).toBeVisible();
  await expect(page.getByText('Đã thanh toán')).toBeVisible();
  const receipt = page.getByRole('link', { name: 'Xem biên lai (PDF)' });
  await expect(receipt).toBeVisible();
  const href = await receipt.getAttribute('href');
  const pdf = await page.request.get(new URL(href!, page.url()).toString());
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // Paid once: the pay page now says so, with the payment in its history.
  await page.goto(`/thanh-toan/${encodeURIComponent(code)}`);
  await page.getByLabel('4 số cuối số điện thoại hoặc số giấy tờ của người nộp').fill('4321');
  await page.getByRole('button', { name: 'Xem khoản phải nộp' }).click();
  await expect(page.getByText('Hồ sơ đã được thanh toán.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Các lần thanh toán' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Thanh toán 8\.000/ })).toHaveCount(0);

  // The administrator's reconciliation and notification templates.
  await signIn(page, 'admin');
  await page.goto('/payments');
  await expect(page.getByRole('heading', { level: 1, name: 'Đối soát thanh toán' })).toBeVisible();
  // (Other browser tests pay too, so the day's total is not ours alone: our payment is listed by its dossier.)
  await expect(page.getByTestId('reconciliation')).toContainText(/\d{1,3}(\.\d{3})+ ₫/);
  await expect(page.getByRole('cell', { name: code })).toBeVisible();
  await page.getByRole('link', { name: 'Mẫu thông báo cho công dân' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mẫu thông báo cho công dân' })).toBeVisible();
  await expect(page.getByTestId('templates')).toContainText('Đã tiếp nhận hồ sơ');
  await page.getByRole('button', { name: 'Sửa Đã tiếp nhận hồ sơ' }).click();
  await page.getByLabel('Nội dung').fill('Kính gửi {{ho_ten}}: hồ sơ {{ma_ho_so}} đã được tiếp nhận');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByText(/Không có trường "\{\{ho_ten\}\}"/)).toBeVisible();
  await page.getByLabel('Nội dung').fill('Hồ sơ {{ma_ho_so}} đã được tiếp nhận, hẹn trả {{ngay_hen}}.');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByTestId('templates')).toContainText('hẹn trả {{ngay_hen}}.');
  // The delivery log shows the messages the demo wrote to its mailbox.
  await expect(page.getByTestId('delivery-log')).toContainText(code, { timeout: 30_000 });
});
