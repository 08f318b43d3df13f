/**
 * Issue 12, "Citizens online", in the browser: a citizen signs in through the demo's OpenID
 * Connect provider (its own sign-in page), submits a birth registration with her papers, the
 * desk sees it arrive live and accepts it in one click, she pays through the VNPay simulator
 * and her receipt arrives in the demo's mailbox; the specialist asks for a supplement (slip
 * 02), she hands it in from "Hồ sơ của tôi" and the clock runs again; the officers finish the
 * dossier and she sees it returned. Then the same citizen on a phone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { E2E_PORT, MAILBOX } from './support/env';
import { shooter, signIn } from './support/shots';

// Long stories with axe-core on every screen, on a shared 2-core machine: more than the default 3 minutes.
test.describe.configure({ mode: 'serial', timeout: 420_000 });

const MAI = { personalId: '001199000001', password: 'congdan@123', name: 'Trần Thị Mai', email: 'mai@congdan.demo' };
const CHILD = 'Trần Minh An';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
/** A date of birth more than 60 days ago, so the registration is late and has a fee to pay. */
const bornOn = (() => {
  const d = new Date(Date.now() - 90 * 86_400_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
})();

let code = '';

/** A small real JPEG, drawn by the browser (a photo of a paper, as a phone would send). */
async function jpeg(page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 40;
    c.height = 30;
    const g = c.getContext('2d')!;
    g.fillStyle = '#eee';
    g.fillRect(0, 0, 40, 30);
    g.fillStyle = '#333';
    g.fillRect(5, 5, 30, 4);
    return c.toDataURL('image/jpeg', 0.8);
  });
  return Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
}

/** Signs the citizen in from /cong-dan through the provider's own page (the demo provider on PORT + 1). */
async function citizenSignIn(page: Page, shot?: ReturnType<typeof shooter>): Promise<void> {
  await page.goto('/cong-dan');
  // Not signed in: the header's main call is the citizen's own page; the officers' sign-in is there, quieter.
  const header = page.getByRole('banner');
  await expect(header.getByRole('link', { name: 'Hồ sơ của tôi', exact: true })).toBeVisible();
  await expect(header.getByRole('link', { name: 'Cán bộ đăng nhập' })).toBeVisible();
  await expect(header.getByRole('link', { name: 'Đăng nhập', exact: true })).toHaveCount(0);
  const start = page.getByRole('link', { name: 'Đăng nhập bằng định danh điện tử' });
  if (shot) await shot(page, 'citizen-start', [page.getByRole('heading', { level: 1, name: 'Dịch vụ công trực tuyến' }), start]);
  else await expect(start).toBeVisible();
  await start.click();
  // The provider's sign-in page: another origin, its own form.
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập bằng tài khoản định danh điện tử (demo)' })).toBeVisible();
  expect(new URL(page.url()).port).toBe(String(E2E_PORT + 1));
  await page.getByLabel('Số định danh cá nhân (Personal ID number)').fill(MAI.personalId);
  await page.getByLabel('Mật khẩu (Password)').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText('Sai số định danh hoặc mật khẩu (wrong personal ID number or password)');
  if (shot) await shot(page, 'provider-sign-in', page.getByRole('alert'));
  await page.getByLabel('Mật khẩu (Password)').fill(MAI.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // Consent is given for the province's own client; back on motcua, in "Hồ sơ của tôi".
  await expect(page).toHaveURL(/\/cong-dan\/ho-so$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' })).toBeVisible();
  await expect(page.getByText(`Xin chào ${MAI.name}`)).toBeVisible();
  // Signed in: the header names her and offers "Hồ sơ của tôi" and "Đăng xuất", not the officers' sign-in as its call.
  await expect(header.getByTestId('citizen-name')).toHaveText(MAI.name);
  await expect(header.getByRole('link', { name: 'Hồ sơ của tôi', exact: true })).toBeVisible();
  await expect(header.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
  await expect(header.getByRole('link', { name: 'Đăng nhập', exact: true })).toHaveCount(0);
  if (shot) await shot(page, 'citizen-header', [header.getByTestId('citizen-name'), header.getByRole('button', { name: 'Đăng xuất' })]);
}

async function officerToken(request: APIRequestContext, username: string): Promise<{ Authorization: string }> {
  const login = await request.post('/api/auth/login', { data: { username, password: `${username}@123` } });
  expect(login.ok(), await login.text()).toBe(true);
  return { Authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
}

/** An officer's action through the API, as the officers' own screens send it. */
async function act(request: APIRequestContext, username: string, step: string, action: string, inputs: object = {}): Promise<void> {
  const headers = await officerToken(request, username);
  const res = await request.post(`/api/dossiers/${encodeURIComponent(code)}/actions`, { headers, data: { step, action, inputs } });
  expect(res.status(), `${username} ${step}.${action}: ${await res.text()}`).toBeLessThan(300);
}

interface Mail { subject: string; text: string; to: string; event: string }

/** The messages that arrived in the demo's mailbox (.eml files written by nodemailer) for this dossier. */
async function mailsFor(dossier: string): Promise<Mail[]> {
  // Nothing sent yet: the server makes the folder with its first message.
  if (!existsSync(MAILBOX)) return [];
  const names = readdirSync(MAILBOX).filter((n) => n.endsWith('.eml')).sort();
  const out: Mail[] = [];
  for (const n of names) {
    const m = await simpleParser(readFileSync(join(MAILBOX, n)));
    const text = m.text ?? '';
    if (!text.includes(dossier) && !(m.subject ?? '').includes(dossier)) continue;
    const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : m.to?.text ?? '';
    out.push({ subject: m.subject ?? '', text, to, event: String(m.headers.get('x-motcua-event') ?? '') });
  }
  return out;
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test('a citizen signs in, submits a birth registration online; the desk accepts it live; she pays and the receipt arrives by email', async ({ page, browser }, info) => {
  const shot = shooter(info);
  // The desk's inbox, open before the dossier exists: it must appear without a reload.
  const desk = await newPage(browser);
  await signIn(desk, 'motcua.anphu');
  await desk.goto('/dossiers');
  await expect(desk.getByRole('heading', { level: 1 })).toBeVisible();

  await citizenSignIn(page, shot);
  // (Not "no dossier yet": a retry of this story runs on the same server.)
  await shot(page, 'my-dossiers', [page.getByText(`Xin chào ${MAI.name}`), page.getByRole('link', { name: 'Chọn thủ tục để nộp hồ sơ' })]);

  // From the catalog to the online form.
  await page.getByRole('link', { name: 'Chọn thủ tục để nộp hồ sơ' }).click();
  await page.getByLabel('Tên hoặc mã thủ tục').fill('khai sinh');
  await page.getByLabel('Tên hoặc mã thủ tục').press('Enter');
  await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' })).toBeVisible();
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await expect(page).toHaveURL(/\/cong-dan\/nop\/dang-ky-khai-sinh\?draft=/);
  await shot(page, 'submit-form', [
    page.getByRole('heading', { level: 1, name: 'Nộp hồ sơ trực tuyến: Đăng ký khai sinh' }),
    page.getByRole('heading', { name: 'Thành phần hồ sơ' }), page.getByRole('heading', { name: 'Tờ khai' }),
  ]);

  await page.getByRole('combobox', { name: 'Nơi nộp hồ sơ và nhận kết quả' }).selectOption({ label: 'Ủy ban nhân dân xã An Phú' });
  await page.getByRole('textbox', { name: /^Họ, chữ đệm và tên của trẻ/ }).fill(CHILD);
  await page.getByRole('textbox', { name: /^Ngày sinh/ }).fill(bornOn);
  await page.getByRole('textbox', { name: /^Nơi sinh/ }).fill('Trạm Y tế xã An Phú');
  await page.getByRole('textbox', { name: /^Họ tên mẹ/ }).fill(MAI.name);
  await page.getByLabel('Số định danh cá nhân của mẹ').fill(MAI.personalId);
  await page.getByRole('combobox', { name: /^Giấy tờ chứng minh việc sinh/ }).selectOption({ label: 'Giấy chứng sinh' });

  const photo = await jpeg(page);
  const paper = (name: RegExp) => page.getByRole('listitem').filter({ hasText: name });
  await paper(/^Tờ khai đăng ký khai sinh/).getByLabel(/Tờ khai đăng ký khai sinh/).setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(paper(/^Tờ khai đăng ký khai sinh/)).toContainText('Đã tải lên: to-khai.pdf');
  await paper(/^Giấy chứng sinh/).getByLabel(/Giấy chứng sinh/).setInputFiles({ name: 'giay-chung-sinh.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(paper(/^Giấy chứng sinh/)).toContainText('Đã tải lên: giay-chung-sinh.jpg');
  await paper(/^Giấy tờ chứng minh nhân thân/).getByLabel(/Giấy tờ chứng minh nhân thân/).setInputFiles({ name: 'can-cuoc.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(paper(/^Giấy tờ chứng minh nhân thân/)).toContainText('Đã tải lên: can-cuoc.jpg');
  await shot(page, 'submit-papers', page.getByText('Đã tải lên: to-khai.pdf'));

  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(page).toHaveURL(/\/cong-dan\/ho-so\/[^/]+$/);
  code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  expect(code).toMatch(/^000\.\d{2}\.\d{2}\.H99-\d{6}-\d{4}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hồ sơ của tôi: ${code}`);
  await shot(page, 'submitted', [page.getByRole('heading', { name: 'Đăng ký khai sinh' }), page.getByRole('heading', { name: 'Quá trình giải quyết' })]);

  // The desk's inbox shows it live and accepts it in one click.
  const row = desk.getByRole('row').filter({ has: desk.getByRole('link', { name: code }) });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText('Trực tuyến');
  await expect(row).toContainText('Chưa tiếp nhận');
  await shot(desk, 'desk-inbox-live', row);
  await row.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
  // Accepted, it moves on to the specialist: it leaves the desk's "needs me" list.
  await expect(row).toHaveCount(0);
  await shot(desk, 'desk-accepted', desk.getByRole('tab', { selected: true }));

  // The citizen sees it accepted, with the fee to pay.
  await page.reload();
  await expect(page.getByText(/Hẹn trả kết quả/)).toBeVisible();
  const pay = page.getByRole('link', { name: 'Thanh toán 8.000 đồng' });
  await shot(page, 'accepted', [pay, page.getByRole('heading', { name: 'Phiếu, giấy tờ' })]);
  await pay.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Nộp phí, lệ phí hồ sơ ${code}`);
  await expect(page.getByTestId('pay-total')).toHaveText(/8\.000/);
  await shot(page, 'pay', page.getByTestId('pay-total'));
  await page.getByRole('button', { name: /Thanh toán 8\.000/ }).click();
  await expect(page.getByRole('heading', { name: 'Cổng thanh toán mô phỏng' })).toBeVisible();
  await expect(page.locator('#amount')).toHaveText('8.000 VND');
  await page.getByRole('button', { name: 'Thanh toán' }).click();
  await expect(page).toHaveURL(/\/thanh-toan\/ket-qua\?/);
  await expect(page.getByTestId('pay-result')).toHaveText('Thanh toán thành công');
  await shot(page, 'paid', [page.getByTestId('pay-result'), page.getByText('Đã thanh toán')]);

  // "Hồ sơ của tôi" no longer offers to pay.
  await page.goto(`/cong-dan/ho-so/${encodeURIComponent(code)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hồ sơ của tôi: ${code}`);
  await expect(page.getByRole('link', { name: /Thanh toán .* đồng/ })).toHaveCount(0);

  // The receipt arrives in the demo's mailbox, to the address her identity gave.
  let paid: Mail | undefined;
  await expect.poll(async () => {
    paid = (await mailsFor(code)).find((m) => /biên lai|thanh toán/i.test(m.subject + m.text) && /\/api\//.test(m.text));
    return paid !== undefined;
  }, { timeout: 60_000, message: `a payment email for ${code} in ${MAILBOX}` }).toBe(true);
  expect(paid!.to).toContain(MAI.email);
  const link = /(https?:\/\/\S+)/.exec(paid!.text.slice(paid!.text.search(/biên lai/i)))?.[1];
  expect(link, paid!.text).toBeTruthy();
  const receipt = await page.request.get(link!);
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()['content-type']).toBe('application/pdf');
  expect((await receipt.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await desk.context().close();
});

test('the specialist asks for a supplement; the citizen hands it in from "Hồ sơ của tôi"; the officers finish and she sees it returned', async ({ page, browser, request }, info) => {
  expect(code).not.toBe('');
  const shot = shooter(info);
  const specialist = await newPage(browser);
  await signIn(specialist, 'chuyenvien.anphu');
  await specialist.goto(`/dossiers/${encodeURIComponent(code)}`);
  await expect(specialist.getByText(MAI.name).first()).toBeVisible();
  await shot(specialist, 'specialist-dossier', [specialist.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }), specialist.getByRole('heading', { name: 'Thao tác' })]);
  await specialist.getByRole('button', { name: 'Yêu cầu công dân bổ sung (tạm dừng thời hạn)', exact: true }).click();
  const dialog = specialist.getByRole('dialog');
  await dialog.getByRole('textbox', { name: /^Lý do/ }).fill('Ảnh giấy chứng sinh bị mờ, đề nghị chụp lại');
  await dialog.getByRole('textbox', { name: /^Giấy tờ cần bổ sung/ }).fill('Giấy chứng sinh (ảnh rõ nét)');
  await shot(specialist, 'supplement-dialog', dialog.getByRole('textbox', { name: /^Lý do/ }));
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(specialist.getByRole('status').filter({ hasText: /Đã thực hiện/ })).toBeVisible();

  await citizenSignIn(page);
  const entry = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: code }) });
  await expect(entry).toContainText('Đăng ký khai sinh');
  await shot(page, 'my-dossiers', entry);
  await entry.getByRole('link', { name: code }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hồ sơ của tôi: ${code}`);
  const asked = page.getByRole('region', { name: 'Giấy tờ cần bổ sung' });
  await expect(asked).toContainText('Ảnh giấy chứng sinh bị mờ, đề nghị chụp lại');
  await expect(asked).toContainText('Giấy chứng sinh (ảnh rõ nét)');
  await expect(page.getByText('Chờ bạn bổ sung giấy tờ')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Phiếu, giấy tờ' })).toContainText('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
  // The clock is stopped while she holds the dossier: no appointment shown.
  await expect(page.getByText(/Hẹn trả kết quả/)).toHaveCount(0);
  await shot(page, 'supplement-asked', asked);
  await asked.getByLabel('Tải lên').setInputFiles({ name: 'giay-chung-sinh-ro.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page) });
  await expect(page.getByRole('region', { name: 'Giấy tờ đã nộp' })).toContainText('giay-chung-sinh-ro.jpg');
  await asked.getByRole('button', { name: 'Nộp bổ sung' }).click();
  await expect(asked).toHaveCount(0);
  // The clock runs again: an appointment, and the timeline says so.
  await expect(page.getByText(/Hẹn trả kết quả/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Quá trình giải quyết' })).toContainText('Đã nộp giấy tờ bổ sung; hồ sơ được giải quyết tiếp');
  await shot(page, 'supplement-handed-in', page.getByRole('heading', { name: 'Quá trình giải quyết' }));

  // The dossier is back with the specialist, who finishes it; the leader signs, the desk returns it.
  await specialist.reload();
  await expect(specialist.getByRole('button', { name: 'Trình ký kết quả', exact: true })).toBeVisible();
  await act(request, 'chuyenvien.anphu', 'register', 'propose', { registrationNo: '123', book: '01/2026', personalId: '001226000123' });
  await act(request, 'lanhdao.anphu', 'sign', 'approve');
  await act(request, 'motcua.anphu', 'return', 'returnResult');
  await specialist.context().close();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hồ sơ của tôi: ${code}`);
  await expect(page.getByText('Đã trả kết quả').first()).toBeVisible();
  await shot(page, 'returned', [page.getByText('Đã trả kết quả').first(), page.getByRole('heading', { name: 'Quá trình giải quyết' })]);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the citizen signs in on a phone, sees "Hồ sơ của tôi", opens the dossier and its timeline', async ({ page }, info) => {
    expect(code).not.toBe('');
    const shot = shooter(info);
    await citizenSignIn(page, shot);
    const entry = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: code }) });
    await shot(page, 'phone-my-dossiers', [page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' }), entry]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await entry.getByRole('link', { name: code }).tap();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hồ sơ của tôi: ${code}`);
    await shot(page, 'phone-dossier', [page.getByRole('heading', { name: 'Đăng ký khai sinh' }), page.getByText('Đã trả kết quả').first()]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const timeline = page.getByRole('region', { name: 'Quá trình giải quyết' });
    await timeline.scrollIntoViewIfNeeded();
    await expect(timeline.getByRole('listitem').first()).toBeInViewport();
    await shot(page, 'phone-timeline', timeline.getByRole('listitem').first());
    // Signing out from the header, on the phone: back at the start page, signed out.
    const header = page.getByRole('banner');
    await header.getByRole('button', { name: 'Đăng xuất' }).tap();
    await expect(page).toHaveURL(/\/cong-dan$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Dịch vụ công trực tuyến' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Đăng nhập bằng định danh điện tử' })).toBeVisible();
    await expect(header.getByTestId('citizen-name')).toHaveCount(0);
    await shot(page, 'phone-signed-out', [header.getByRole('link', { name: 'Hồ sơ của tôi', exact: true }), header.getByRole('link', { name: 'Cán bộ đăng nhập' })]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
