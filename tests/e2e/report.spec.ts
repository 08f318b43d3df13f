/**
 * A commune chair's reports: form II.06a as submitted (PDF with the signature block), the
 * intake of the commune's one-stop desk beside it, and the catalogue report.
 */
import { expect, test } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test('a commune chair downloads form II.06a to sign, and reads the desk intake and the catalogue report', async ({ page }, info) => {
  const shot = shooter(info);
  await signIn(page, 'lanhdao.anphu');
  await page.goto('/dashboard?groupBy=unit');
  await expect(page.getByTestId('report-table')).toBeVisible();
  await shot(page, 'report-by-unit', page.getByTestId('report-table').getByRole('rowheader').or(page.getByTestId('report-table').locator('tbody tr')));

  // the PDF laid out as the form
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tải báo cáo PDF (mẫu trình ký)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);

  await page.getByRole('tab', { name: 'Tiếp nhận tại Bộ phận Một cửa' }).click();
  const desk = page.getByTestId('desk-table').or(page.getByText('Không có hồ sơ tiếp nhận trong kỳ.'));
  await shot(page, 'desk-intake', desk);

  await page.getByRole('tab', { name: 'Danh mục TTHC' }).click();
  const summary = page.getByTestId('catalogue-summary');
  await expect(summary).toContainText(/\d+ thủ tục đang áp dụng; \d+ trực tuyến \(\d+ toàn trình, \d+ một phần\)/);
  await shot(page, 'catalogue-report', [summary, page.getByTestId('catalogue-table')]);
});
