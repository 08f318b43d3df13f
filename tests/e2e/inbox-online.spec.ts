/**
 * Issue 12, the desk's side of online dossiers: the officer signs in through the identity
 * provider (the demo's OpenID Connect provider on PORT + 1, linked to motcua.anphu by a
 * verified personal ID number), and answers two online dossiers from the inbox in one click
 * each: one refused (slip 03), one asked for papers (slip 02). The citizen, signed in through
 * the same provider, submits through the API and reads the slips as PDF.
 */
import { randomUUID } from 'node:crypto';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { BASE_URL } from './support/env';
import { shooter } from './support/shots';

const CITIZEN = { id: '001199000003', password: 'congdan@123' };
const OFFICER = { id: '001088000101', password: 'canbo@123', name: /./ };
const BIRTH = {
  dateOfBirth: '2026-02-20', sex: 'female', placeOfBirth: 'Trạm Y tế xã An Phú', ethnicity: 'Kinh', nationality: 'Việt Nam',
  motherName: 'Lê Thị Hoa', motherPersonalId: CITIZEN.id, declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: true,
};
const PAPERS = ['declaration', 'birthCertificate', 'identity'];
// A one-page PDF, as a phone's scanner would give.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** The provider's sign-in form (a plain HTML page): its action, from a page fetched by `ctx`. */
function formAction(html: string, at: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no sign-in form at ${at}: ${html.slice(0, 200)}`);
  return new URL(action.replace(/&amp;/g, '&'), at).href;
}

// The server's public address (PUBLIC_URL, its OpenID Connect callback; serve.ts sets it to the
// tests' address): a sign-in starts there, so the browser carries its cookies back to the callback.
const PUBLIC = BASE_URL;

/** A citizen's API session: motcua's sign-in redirect, the provider's form, the callback (cookies kept by the context). */
async function citizenSession(): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await playwrightRequest.newContext({ baseURL: PUBLIC });
  const page = await api.get('/api/oidc/login?as=citizen');
  expect(page.status()).toBe(200);
  const signedIn = await api.post(formAction(await page.text(), page.url()), { form: { personalId: CITIZEN.id, password: CITIZEN.password } });
  expect(signedIn.ok(), signedIn.url()).toBe(true);
  const csrf = (await api.storageState()).cookies.find((c) => c.name === 'motcua_citizen_csrf')?.value;
  expect(csrf, 'the anti-forgery cookie of the citizen session').toBeTruthy();
  return { api, csrf: csrf! };
}

/** Submits a birth registration online (draft, three papers, submit); the dossier's code. */
async function submitOnline(api: APIRequestContext, csrf: string, childName: string, unit: string): Promise<string> {
  const headers = { 'X-CSRF-Token': csrf };
  const draft = await api.post('/api/me/drafts', { headers, data: { procedureId: 'dang-ky-khai-sinh', data: { ...BIRTH, childName }, receivingUnit: unit } });
  expect(draft.status(), await draft.text()).toBe(201);
  const id = ((await draft.json()) as { id: string }).id;
  for (const paper of PAPERS) {
    const up = await api.post(`/api/me/drafts/${id}/files`, { headers, multipart: { paper, file: { name: `${paper}.pdf`, mimeType: 'application/pdf', buffer: PDF } } });
    expect(up.status(), await up.text()).toBe(201);
  }
  const sub = await api.post(`/api/me/drafts/${id}/submit`, { headers: { ...headers, 'Idempotency-Key': randomUUID() }, data: {} });
  expect(sub.status(), await sub.text()).toBe(201);
  return ((await sub.json()) as { id: string }).id;
}

test('the desk signs in through the identity provider and answers online dossiers from the inbox: refusal (slip 03) and supplement request (slip 02)', async ({ page, request }, info) => {
  const shot = shooter(info);
  const online = (await (await request.get('/api/public/procedures/dang-ky-khai-sinh/online')).json()) as { desks: { code: string; name: string }[] };
  const unit = online.desks.find((d) => /An Phú/.test(d.name))?.code;
  expect(unit, 'An Phú\'s desk offers birth registration online').toBeTruthy();
  const { api, csrf } = await citizenSession();
  const refusedCode = await submitOnline(api, csrf, 'Lê Bảo Ngọc', unit!);
  const askedCode = await submitOnline(api, csrf, 'Lê Minh Châu', unit!);

  // Sign-in: the single sign-on button beside the password form.
  await page.goto(`${PUBLIC}/login`);
  const sso = page.getByRole('link', { name: 'Đăng nhập bằng tài khoản định danh (SSO)' });
  await shot(page, 'login-sso', [sso, page.getByLabel('Tên đăng nhập')]);
  await sso.click();
  await expect(page.getByRole('heading', { level: 1, name: /tài khoản định danh điện tử/ })).toBeVisible();
  await page.getByLabel(/Số định danh cá nhân/).fill(OFFICER.id);
  await page.getByLabel(/Mật khẩu/).fill(OFFICER.password);
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  await expect(page.getByTestId('whoami')).toHaveText(OFFICER.name);

  // The inbox, online dossiers: both wait for acceptance, each with its three answers.
  await page.goto(`${PUBLIC}/dossiers?box=unit&channel=online`);
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ' })).toBeVisible();
  const refusedRow = page.getByRole('row').filter({ hasText: refusedCode });
  const askedRow = page.getByRole('row').filter({ hasText: askedCode });
  await shot(page, 'inbox-online', [refusedRow.getByRole('button', { name: 'Từ chối' }), askedRow.getByRole('button', { name: 'Yêu cầu bổ sung' }), askedRow.getByRole('button', { name: 'Tiếp nhận' })]);

  // Refusal: one click opens the reason; without one the server's 422 lands on the field.
  await refusedRow.getByRole('button', { name: 'Từ chối' }).click();
  const refuse = page.getByRole('dialog', { name: `Từ chối tiếp nhận hồ sơ ${refusedCode}` });
  await expect(refuse.getByText('Phiếu từ chối tiếp nhận, giải quyết hồ sơ (mẫu 03)')).toBeVisible();
  await refuse.getByRole('button', { name: 'Từ chối tiếp nhận' }).click();
  await expect(refuse.getByText('Ghi lý do.')).toBeVisible();
  await refuse.getByLabel('Lý do').fill('Hồ sơ không thuộc thẩm quyền giải quyết của xã');
  await shot(page, 'refuse-form', refuse.getByLabel('Lý do'));
  await refuse.getByRole('button', { name: 'Từ chối tiếp nhận' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Đã gửi Phiếu từ chối tiếp nhận (mẫu 03) cho hồ sơ ${refusedCode}.` })).toBeVisible();
  await expect(refusedRow.getByRole('button', { name: 'Từ chối' })).toHaveCount(0);

  // Supplement: papers from the procedure's list or typed, and a reason; none → the server's 422 on the papers.
  await askedRow.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
  const ask = page.getByRole('dialog', { name: `Yêu cầu bổ sung hồ sơ ${askedCode}` });
  await ask.getByLabel('Lý do').fill('Giấy chứng sinh chụp bị mờ, không đọc được');
  await ask.getByRole('button', { name: 'Yêu cầu bổ sung, hoàn thiện hồ sơ' }).click();
  await expect(ask.getByText('Chọn trong danh mục hoặc ghi ít nhất một giấy tờ.')).toBeVisible();
  await ask.getByLabel('Giấy chứng sinh do cơ sở y tế cấp').check();
  await ask.getByLabel('Giấy tờ khác (mỗi dòng một giấy tờ)').fill('Giấy xác nhận nơi cư trú');
  await shot(page, 'supplement-form', [ask.getByText('Giấy tờ cần bổ sung, hoàn thiện'), ask.getByLabel('Giấy chứng sinh do cơ sở y tế cấp')]);
  await ask.getByRole('button', { name: 'Yêu cầu bổ sung, hoàn thiện hồ sơ' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Đã gửi Phiếu yêu cầu bổ sung (mẫu 02) cho hồ sơ ${askedCode}.` })).toBeVisible();
  await expect(askedRow.getByRole('button', { name: 'Yêu cầu bổ sung' })).toHaveCount(0);

  // The citizen reads slip 03 and slip 02 as PDF on "Hồ sơ của tôi".
  for (const [code, kind, status] of [[refusedCode, 'refusal', 5], [askedCode, 'supplement-request', 3]] as const) {
    const mine = (await (await api.get(`/api/me/dossiers/${code}`)).json()) as { portalStatus: number; slips: { kind: string; url: string }[]; papersAsked: { documents: string[] }[] };
    expect(mine.portalStatus).toBe(status);
    const slip = mine.slips.find((s) => s.kind === kind);
    expect(slip, `${code}: ${kind}`).toBeTruthy();
    const pdf = await api.get(slip!.url);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    if (kind === 'supplement-request') expect(mine.papersAsked[0]?.documents).toEqual(['Giấy chứng sinh do cơ sở y tế cấp', 'Giấy xác nhận nơi cư trú']);
  }
  await api.dispose();
});
