/**
 * A citizen's slips online, on a phone: a paper of the wrong type is refused under that paper
 * and the picker is emptied (it must not look uploaded); withdrawing waits for a reason and
 * asks before it ends the dossier; the timeline reads dd/mm/yyyy like every other screen.
 */
import { expect, test } from '@playwright/test';
import { E2E_PORT } from './support/env';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

test('a refused paper is told at the paper; a withdrawal takes a reason and a confirmation', async ({ page }) => {
  await page.goto('/cong-dan');
  await page.getByRole('link', { name: 'Đăng nhập bằng định danh điện tử' }).click();
  expect(new URL(page.url()).port).toBe(String(E2E_PORT + 1));
  await page.getByLabel('Số định danh cá nhân (Personal ID number)').fill('001199000001');
  await page.getByLabel('Mật khẩu (Password)').fill('congdan@123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' })).toBeVisible();

  await page.goto('/public/procedures/cap-ban-sao-trich-luc-ho-tich');
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await expect(page).toHaveURL(/\?draft=/);
  await page.getByRole('combobox', { name: 'Nơi nộp hồ sơ và nhận kết quả' }).selectOption({ label: 'Ủy ban nhân dân xã An Phú' });
  const papers = page.getByRole('region', { name: 'Thành phần hồ sơ' }).getByRole('listitem');
  const form = papers.filter({ hasText: 'Tờ khai cấp bản sao trích lục' });
  const id = papers.filter({ hasText: 'Giấy tờ chứng minh nhân thân' });

  // A text file is refused: the words come under that paper, and its picker is empty again.
  await id.locator('input[type=file]').setInputFiles({ name: 'cccd.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(id.getByRole('alert')).toContainText('Hãy gửi bản PDF, JPEG hoặc PNG');
  await expect(id.locator('input[type=file]')).toHaveValue('');
  await expect(form.getByRole('alert')).toHaveCount(0);
  // The right file clears the refusal.
  await id.locator('input[type=file]').setInputFiles({ name: 'cccd.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(id.getByText('✓ Đã tải lên: cccd.pdf')).toBeVisible();
  await expect(id.getByRole('alert')).toHaveCount(0);
  await form.locator('input[type=file]').setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(form.getByText('✓ Đã tải lên: to-khai.pdf')).toBeVisible();

  await page.getByLabel(/Người được cấp trích lục/).fill('Trần Thị Mai');
  await page.getByLabel(/Số bản/).fill('1');
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(page).toHaveURL(/\/cong-dan\/ho-so\/[^/]+$/);
  const code = decodeURIComponent(page.url().split('/').pop()!);

  // The timeline as offices write dates: dd/mm/yyyy, 24-hour.
  await expect(page.locator('.citizen-timeline time').first()).toHaveText(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);

  // Withdrawing: no reason, no button; a reason, then a question before anything happens.
  const withdraw = page.getByRole('button', { name: 'Rút hồ sơ', exact: true });
  await expect(withdraw).toBeDisabled();
  await page.getByLabel('Lý do rút hồ sơ').fill('Nộp nhầm thủ tục');
  await withdraw.click();
  const dialog = page.getByRole('dialog', { name: 'Rút hồ sơ' });
  await expect(dialog).toContainText(`Ông/bà chắc chắn rút hồ sơ ${code}?`);
  await dialog.getByRole('button', { name: 'Huỷ' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Đã nộp, chờ Bộ phận Một cửa tiếp nhận')).toBeVisible();
  await withdraw.click();
  await dialog.getByRole('button', { name: 'Rút hồ sơ' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(withdraw).toHaveCount(0);
});
