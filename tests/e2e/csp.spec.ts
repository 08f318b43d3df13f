/**
 * The Content-Security-Policy has no 'unsafe-eval' (README, Security), and the screens that
 * validate JSON Schemas in the browser still work under it: the designer (the engine's
 * precompiled definition and meta-schema validators, the interpreter for a procedure's own
 * schemas) and an intake form (rjsf with the interpreting validator), whose errors still show.
 * Any CSP violation — a `securitypolicyviolation` event or a console report — fails the test.
 */
import { expect, test, type Page } from '@playwright/test';
import { shooter, signIn } from './support/shots';

/** Collects every CSP violation of the page, from before its first script runs. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|unsafe-eval|EvalError/i.test(m.text())) seen.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => { if (/Content Security Policy|unsafe-eval|EvalError/i.test(String(e))) seen.push(`error: ${String(e)}`); });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...seen, ...await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)];
}

test('the designer and an intake form validate under a CSP without unsafe-eval', async ({ page }, info) => {
  const shot = shooter(info);
  const violations = await watchCsp(page);
  const home = await page.goto('/login');
  const csp = home!.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');

  // the designer: a new procedure is checked by the engine in the browser at once
  await signIn(page, 'thietke');
  await page.goto('/designer');
  await page.getByRole('button', { name: 'Thủ tục mới' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Mã thủ tục').fill(`csp-${Date.now().toString(36)}`);
  await dialog.getByLabel('Tên thủ tục').fill('Thủ tục kiểm tra CSP');
  await dialog.getByRole('button', { name: 'Tạo thủ tục' }).click();
  await expect(page.getByTestId('step-intake')).toBeVisible();
  await page.getByRole('button', { name: 'Thêm bước: Xử lý' }).click();
  // an unconnected step: the engine's checks ran and found it
  await expect(page.getByTestId('issue-count')).toHaveText(/[1-9]\d* lỗi/);
  await shot(page, 'designer-checked', page.getByTestId('issue-count'));
  expect(await violations()).toEqual([]);

  // an intake form: submitting it empty shows the form's own errors, before any request
  await page.getByRole('button', { name: /Đăng xuất/ }).click().catch(() => undefined);
  await signIn(page, 'motcua.anphu');
  const posts: string[] = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/api\/dossiers$/.test(r.url())) posts.push(r.url()); });
  await page.getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
  await page.getByLabel('Tìm thủ tục').fill('khai sinh');
  await page.getByRole('button', { name: 'Chọn thủ tục Đăng ký khai sinh', exact: true }).click();
  await page.getByRole('button', { name: 'Đánh dấu đã nhận tất cả' }).click();
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await expect(page.getByLabel('Họ và tên người nộp')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Bắt buộc').first()).toBeVisible();
  await shot(page, 'intake-errors', page.getByText('Bắt buộc').first());
  expect(posts).toEqual([]);
  expect(await violations()).toEqual([]);
});
