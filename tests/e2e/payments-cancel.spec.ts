/**
 * A citizen who cancels on the payment gateway's page comes back to a result that says it did
 * not go through, and is offered to pay again there: the only other way on was a lookup page
 * asking for the second factor again.
 */
import { expect, test } from '@playwright/test';
import { receiveLateBirth } from './support/dossiers';

test('a citizen cancels on the gateway, is told the payment did not go through, and pays again from there', async ({ page, request }) => {
  const code = await receiveLateBirth(request);
  await page.goto(`/thanh-toan/${encodeURIComponent(code)}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Nộp phí, lệ phí hồ sơ ${code}`);
  const factor = page.getByLabel('4 số cuối số điện thoại hoặc số giấy tờ của người nộp');
  await factor.fill('4321');
  await page.getByRole('button', { name: 'Xem khoản phải nộp' }).click();
  await page.getByRole('button', { name: /Thanh toán 8\.000/ }).click();
  await expect(page.getByRole('heading', { name: 'Cổng thanh toán mô phỏng' })).toBeVisible();
  await page.getByRole('button', { name: 'Hủy giao dịch' }).click();

  await expect(page).toHaveURL(/\/thanh-toan\/ket-qua\?/);
  await expect(page.getByTestId('pay-result')).toHaveText('Bạn đã hủy thanh toán tại cổng thanh toán');
  await expect(page.getByText(code)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Xem biên lai (PDF)' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Thanh toán lại' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Nộp phí, lệ phí hồ sơ ${code}`);
  await factor.fill('4321');
  await page.getByRole('button', { name: 'Xem khoản phải nộp' }).click();
  await expect(page.getByRole('heading', { name: 'Các khoản phí, lệ phí' })).toBeVisible();
  await page.getByRole('button', { name: /Thanh toán 8\.000/ }).click();
  await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
  await expect(page.getByTestId('pay-result')).toHaveText('Thanh toán thành công');
});
