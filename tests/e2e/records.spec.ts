/**
 * Records a commune hands in (docs/records.md): the tracking book of its one-stop desk (form 06
 * of Circular 01/2018/TT-VPCP) and the desk and catalogue reports, downloaded from the
 * dashboard's buttons and opened to check they are the documents named.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { receiveLateBirth } from './support/dossiers';
import { signIn } from './support/shots';

async function take(page: Page, button: string): Promise<{ download: Download; body: Buffer }> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const download = await downloading;
  const path = await download.path();
  return { download, body: readFileSync(path) };
}

async function sheetLines(body: Buffer): Promise<string[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const lines: string[] = [];
  book.worksheets[0]!.eachRow((r) => { lines.push((r.values as unknown[]).slice(1).map((v) => String(v ?? '')).join('|')); });
  return lines;
}

test('a commune chair downloads the tracking book (form 06) as PDF and XLSX, and the desk and catalogue reports, from the dashboard', async ({ page }) => {
  await signIn(page, 'lanhdao.anphu');
  await page.goto('/dashboard');
  await expect(page.getByTestId('report-table')).toBeVisible();

  // form 06 as PDF: a PDF file named after the book
  const pdf = await take(page, 'Sổ theo dõi hồ sơ (PDF)');
  expect(pdf.download.suggestedFilename()).toMatch(/^Sổ theo dõi hồ sơ - .+\.pdf$/);
  expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.body.length).toBeGreaterThan(5_000);

  // form 06 as XLSX: the book's title and its column headers, one row per dossier
  const xlsx = await take(page, 'Sổ theo dõi hồ sơ (XLSX)');
  expect(xlsx.download.suggestedFilename()).toMatch(/\.xlsx$/);
  const book = await sheetLines(xlsx.body);
  expect(book.some((l) => l.startsWith('SỔ THEO DÕI HỒ SƠ'))).toBe(true);
  expect(book.some((l) => l.startsWith('STT|Mã hồ sơ|Tên thủ tục hành chính|'))).toBe(true);

  // received at this desk, as XLSX from its tab
  await page.getByRole('tab', { name: 'Tiếp nhận tại Bộ phận Một cửa' }).click();
  await expect(page.getByTestId('desk-table').or(page.getByText('Không có hồ sơ tiếp nhận trong kỳ.'))).toBeVisible();
  const desk = await take(page, 'Tải bảng tiếp nhận tại Một cửa (XLSX)');
  expect((await sheetLines(desk.body)).some((l) => l.startsWith('TÌNH HÌNH TIẾP NHẬN HỒ SƠ TẠI BỘ PHẬN MỘT CỬA'))).toBe(true);

  // the catalogue report, as PDF from its tab
  await page.getByRole('tab', { name: 'Danh mục TTHC' }).click();
  await expect(page.getByTestId('catalogue-summary')).toBeVisible();
  const catalogue = await take(page, 'Tải báo cáo công bố TTHC (PDF)');
  expect(catalogue.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
});

test('the desk corrects a receipt (slip 01): the new slip names the one it replaces, and the replaced one still opens as issued', async ({ page, request }) => {
  const code = await receiveLateBirth(request);
  await signIn(page, 'motcua.anphu');
  await page.goto(`/dossiers/${encodeURIComponent(code)}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);

  await page.getByRole('button', { name: 'Cấp lại phiếu (đính chính)' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel(/^Phiếu cần cấp lại/).selectOption({ label: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)' });
  await form.getByLabel(/^Lý do đính chính/).fill('Ghi sai họ tên người nộp');
  await form.getByLabel(/^Họ tên người nộp đúng/).fill('Võ Thị Hạnh Nhân');
  // The corrected list of papers is optional: no blank paper waits to be filled in.
  await expect(form.getByLabel(/^Giấy tờ \(mã trong danh mục/)).toHaveCount(0);
  await form.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thực hiện: Cấp lại phiếu (đính chính)')).toBeVisible();

  await page.getByRole('tab', { name: 'Phiếu' }).click();
  const issued = page.getByTestId('issued-slips');
  const rows = issued.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Giấy tiếp nhận và hẹn trả kết quả (mẫu 01)');
  const first = (await rows.nth(0).locator('td').nth(1).textContent())!.trim();
  await expect(rows.nth(1)).toContainText(`phiếu số ${first}`);

  // Both slips as issued: the first unchanged (its stored digest), the second a different file.
  const login = await request.post('/api/auth/login', { data: { username: 'motcua.anphu', password: 'motcua.anphu@123' } });
  const headers = { Authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
  const second = (await rows.nth(1).locator('td').nth(1).textContent())!.trim();
  const old = await request.get(`/api/dossiers/${encodeURIComponent(code)}/slips/receipt?seq=${first}`, { headers });
  const corrected = await request.get(`/api/dossiers/${encodeURIComponent(code)}/slips/receipt?seq=${second}`, { headers });
  expect(old.status()).toBe(200);
  expect(corrected.status()).toBe(200);
  expect(old.headers()['digest']).toBeTruthy();
  expect(corrected.headers()['digest']).not.toBe(old.headers()['digest']);
});
