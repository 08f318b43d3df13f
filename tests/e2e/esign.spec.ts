/**
 * Electronic results in the browser (issue 14): a specialist uploads the result document on the
 * dossier screen, a leader approves — the approval step declares `signResult` — and the result
 * is signed; the citizen downloads the signed PDF from the public dossier page; the verification
 * page the QR code opens (`/xac-thuc/:id`) confirms the hash, who signed, when, and that the
 * certificate was valid then; a copy with one byte changed is refused there. Signed in, the
 * citizen finds the same signed result in "Giấy tờ của tôi" (his data store) and downloads the
 * same bytes.
 */
import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { receiveCopyRequest } from './support/dossiers';
import { E2E_PORT } from './support/env';
import { shooter, signIn } from './support/shots';

// Signing, sealing and the verification's checks are RSA work on a 2-core machine shared with the server: more than the default 3 minutes when it is loaded.
test.describe.configure({ mode: 'serial', timeout: 360_000 });

// A citizen of the demo's identity provider (server/src/citizens/devProvider.ts), so she can sign in and open her store.
const APPLICANT = { name: 'Phạm Quốc Việt', id: '001199000004', phone: '0901000004', password: 'congdan@123' };

/** The desk receives a dossier of "Cấp bản sao trích lục hộ tịch" over the API (intake is another test's story). */
const receive = (request: APIRequestContext): Promise<string> => receiveCopyRequest(request, APPLICANT, 1985);

/** The result document a specialist would write: an unsigned one-page PDF. */
async function draftPdf(code: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('BAN SAO TRICH LUC KHAI SINH', { x: 150, y: 760, size: 16, font });
  page.drawText(`Ho so ${code} - ${APPLICANT.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/Đ/g, 'D')}`, { x: 72, y: 720, size: 11, font });
  return Buffer.from(await doc.save());
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ acceptDownloads: true })).newPage();
}

async function takeAction(page: Page, label: string, inputs: { [label: string]: string } = {}): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  for (const [field, value] of Object.entries(inputs)) await dialog.getByLabel(field).fill(value);
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Đã thực hiện/ })).toBeVisible();
}

let code = '';
let signedFile = '';
let documentId = '';
let resultNumber = '';

test('a specialist uploads the result, a leader approves and signs it', async ({ browser, request }, info) => {
  const shot = shooter(info);
  code = await receive(request);

  // the specialist uploads the result document on the dossier screen, then submits it for signature
  const specialist = await newPage(browser);
  await signIn(specialist, 'chuyenvien.anphu');
  await specialist.goto(`/dossiers/${encodeURIComponent(code)}`);
  await expect(specialist.getByText(APPLICANT.name).first()).toBeVisible();
  await specialist.getByRole('tab', { name: 'Tài liệu' }).click();
  const card = specialist.getByTestId('staff-results');
  await expect(card.getByRole('heading', { name: 'Kết quả điện tử' })).toBeVisible();
  await expect(card.getByTestId('result-draft')).toContainText('Chưa tải lên dự thảo');
  const form = card.getByRole('form', { name: 'Tải lên dự thảo kết quả' });
  const uploaded = await draftPdf(code);
  await form.getByLabel('Dự thảo kết quả (PDF chưa ký)').setInputFiles({ name: 'trich-luc.pdf', mimeType: 'application/pdf', buffer: uploaded });
  await form.getByRole('button', { name: 'Tải lên dự thảo' }).click();
  await expect(form.getByRole('status')).toHaveText('Đã tải lên dự thảo kết quả');
  await expect(card.getByTestId('result-draft')).toContainText('lãnh đạo sẽ ký văn bản này khi phê duyệt');
  await shot(specialist, 'specialist-draft-uploaded', [card.getByTestId('result-draft'), card.getByText('Chưa có kết quả nào được ký số cho hồ sơ này.')]);
  await takeAction(specialist, 'Trình ký kết quả', { 'Số trích lục': '125/2026/TLKS' });

  // the leader approves: the approval step's definition declares signResult
  const leader = await newPage(browser);
  await signIn(leader, 'lanhdao.anphu');
  await leader.goto(`/dossiers/${encodeURIComponent(code)}`);
  await expect(leader.getByRole('button', { name: 'Phê duyệt, ký', exact: true })).toBeVisible();
  await shot(leader, 'leader-before-signing', [leader.getByText(APPLICANT.name), leader.getByRole('button', { name: 'Phê duyệt, ký', exact: true })]);
  // the leader reads the draft before signing it: the very file the specialist uploaded
  await leader.getByRole('tab', { name: 'Tài liệu' }).click();
  const [read] = await Promise.all([leader.waitForEvent('download'), leader.getByTestId('result-draft').getByRole('button', { name: 'Xem dự thảo' }).click()]);
  expect(Buffer.compare(readFileSync((await read.path())!), uploaded)).toBe(0);
  await takeAction(leader, 'Phê duyệt, ký');
  await leader.getByRole('tab', { name: 'Tài liệu' }).click();
  const issued = leader.getByTestId('staff-results').getByRole('row').filter({ hasText: 'Bản sao trích lục hộ tịch' });
  await expect(issued).toContainText('văn bản do chuyên viên tải lên');
  await expect(issued).toContainText(/\d+\/2026\/KQ|\d+\/\d{4}\/KQ/);
  resultNumber = /\d+\/\d{4}\/KQ/.exec((await issued.textContent()) ?? '')![0];
  await expect(issued.getByRole('link', { name: 'Xác thực' })).toBeVisible();
  await issued.scrollIntoViewIfNeeded();
  await shot(leader, 'leader-signed', issued);
});

test('the citizen downloads the signed result and the verification page confirms it, and refuses a changed copy', async ({ browser }, info) => {
  const shot = shooter(info);
  const citizen = await newPage(browser);
  // the QR code of the receipt slip leads to the public dossier page
  await citizen.goto(`/tra-cuu/${encodeURIComponent(code)}`);
  await expect(citizen.getByTestId('dossier-status')).toBeVisible();
  await citizen.getByLabel('4 số cuối điện thoại hoặc số giấy tờ của người nộp').fill(APPLICANT.phone.slice(-4));
  await citizen.getByRole('button', { name: 'Xem chi tiết' }).click();
  const results = citizen.getByTestId('signed-results');
  await expect(results.getByRole('heading', { name: 'Kết quả điện tử' })).toBeVisible();
  await expect(results).toContainText('Bản sao trích lục hộ tịch');
  await shot(citizen, 'citizen-results', [results.getByText('Bản sao trích lục hộ tịch'), results.getByRole('button', { name: 'Tải kết quả (PDF)' })]);
  const [download] = await Promise.all([citizen.waitForEvent('download'), results.getByRole('button', { name: 'Tải kết quả (PDF)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^ket-qua-.+\.pdf$/);
  signedFile = (await download.path())!;
  const pdf = readFileSync(signedFile);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.toString('latin1')).toMatch(/\/SubFilter\s*\/ETSI\.CAdES\.detached/);

  // the QR code's target: /xac-thuc/<id>, the register's entry
  await results.getByRole('link', { name: 'Xác thực' }).click();
  await expect(citizen).toHaveURL(/\/xac-thuc\/[A-Za-z0-9]+$/);
  documentId = citizen.url().split('/').pop()!;
  const entry = citizen.getByTestId('register-entry');
  await expect(entry.getByRole('heading', { name: 'Văn bản trong sổ cấp' })).toBeVisible();
  await expect(entry).toContainText('Bản sao trích lục hộ tịch');
  await expect(entry).toContainText('Ủy ban nhân dân xã An Phú');
  await expect(entry).toContainText('Con dấu số của cơ quan: Ủy ban nhân dân xã An Phú');
  await expect(entry).toContainText('Chữ ký cá nhân:');
  await shot(citizen, 'verify-entry', [entry.getByTestId('doc-number'), entry.getByText('Chữ ký cá nhân:')]);

  // the file downloaded: the hash is the issued one, who signed, when, the certificate valid then
  await citizen.getByLabel('Tệp PDF cần kiểm tra').setInputFiles(signedFile);
  await citizen.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  const verdict = citizen.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'valid');
  await expect(verdict.getByRole('status')).toContainText('Văn bản hợp lệ');
  await expect(verdict).toContainText('Mã băm khớp bản đã cấp');
  await expect(verdict).toContainText(/Chữ ký 1: .+ — .*\d{2}\/\d{2}\/\d{4}/);
  await expect(verdict).toContainText('Chữ ký nguyên vẹn');
  await expect(verdict).toContainText('Chứng thư do CA của hệ thống cấp');
  await expect(verdict).toContainText('Chứng thư còn hiệu lực khi ký');
  await expect(verdict).toContainText('Chứng thư chưa bị thu hồi khi ký');
  await shot(citizen, 'verify-valid', [verdict.getByText('Văn bản hợp lệ'), verdict.getByText('Mã băm khớp bản đã cấp')]);

  // a copy with one byte changed (the header's version digit: covered by every signature) is refused
  const tampered = Buffer.from(pdf);
  expect(tampered.subarray(0, 8).toString('latin1')).toMatch(/^%PDF-1\.\d$/);
  tampered[7] = tampered[7] === 0x37 ? 0x36 : 0x37;
  await citizen.getByLabel('Tệp PDF cần kiểm tra').setInputFiles({ name: 'ket-qua-sua.pdf', mimeType: 'application/pdf', buffer: tampered });
  await citizen.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(verdict).toHaveAttribute('data-verdict', 'tampered');
  await expect(verdict.getByRole('status')).toContainText('Văn bản KHÔNG hợp lệ');
  await expect(verdict).toContainText('Mã băm khác bản đã cấp');
  await expect(verdict).toContainText('Chữ ký không khớp nội dung');
  await shot(citizen, 'verify-tampered', [verdict.getByText('Văn bản KHÔNG hợp lệ'), verdict.getByText('Mã băm khác bản đã cấp')]);
  expect(documentId.length).toBeGreaterThan(10);
});

test('the citizen signs in and finds the signed result in "Giấy tờ của tôi", the same file', async ({ browser }, info) => {
  const shot = shooter(info);
  const citizen = await newPage(browser);
  // signed in through the demo identity provider (another origin, its own form)
  await citizen.goto('/cong-dan');
  await citizen.getByRole('link', { name: 'Đăng nhập bằng định danh điện tử' }).click();
  await expect(citizen.getByRole('heading', { level: 1, name: 'Đăng nhập bằng tài khoản định danh điện tử (demo)' })).toBeVisible();
  expect(new URL(citizen.url()).port).toBe(String(E2E_PORT + 1));
  await citizen.getByLabel('Số định danh cá nhân (Personal ID number)').fill(APPLICANT.id);
  await citizen.getByLabel('Mật khẩu (Password)').fill(APPLICANT.password);
  await citizen.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(citizen).toHaveURL(/\/cong-dan\/ho-so$/);

  // his data store lists the signed result, by its title and number, marked signed
  await citizen.goto('/cong-dan/giay-to');
  await expect(citizen.getByRole('heading', { level: 1, name: 'Giấy tờ của tôi' })).toBeVisible();
  const results = citizen.getByTestId('my-papers-result');
  await expect(results.getByRole('heading', { name: 'Kết quả đã cấp' })).toBeVisible();
  const row = results.getByRole('row').filter({ hasText: resultNumber });
  await expect(row).toContainText('Bản sao trích lục hộ tịch');
  await expect(row).toContainText('Đã ký số');
  await expect(row).toContainText('Ủy ban nhân dân xã An Phú');
  await expect(row.getByRole('link', { name: code })).toBeVisible();
  await shot(citizen, 'my-papers-signed-result', [citizen.getByRole('heading', { level: 1, name: 'Giấy tờ của tôi' }), row]);

  // downloaded from the store: the very bytes downloaded from the dossier page, which the verification page confirmed
  const [download] = await Promise.all([citizen.waitForEvent('download'), row.getByRole('button', { name: /^Tải về / }).click()]);
  expect(download.suggestedFilename()).toMatch(/^Bản sao trích lục hộ tịch .+\.pdf$/);
  expect(Buffer.compare(readFileSync((await download.path())!), readFileSync(signedFile))).toBe(0);

  // its verification link opens the register's entry
  await row.getByRole('link', { name: /^Kiểm tra chữ ký số của / }).click();
  await expect(citizen).toHaveURL(new RegExp(`/xac-thuc/${documentId}$`));
  await expect(citizen.getByTestId('register-entry')).toContainText(resultNumber);
});
