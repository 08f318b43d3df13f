/**
 * The desk day, screen by screen, where officers read words and not keys: the papers
 * received at intake reach the specialist and the leader, the designer's canvas stays
 * readable, the dashboard speaks of one period and of units by name.
 */
import { expect, test, type Page } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test.describe.configure({ mode: 'serial' });

const born = new Date(Date.now() + 7 * 3600_000 - 10 * 86_400_000);
const dd = (n: number) => String(n).padStart(2, '0');
const BIRTH = `${dd(born.getUTCDate())}${dd(born.getUTCMonth() + 1)}${born.getUTCFullYear()}`;
let dossierCode = '';

/** A birth registration received at the desk with every paper ticked (as intake.spec.ts does it, without counting). */
async function receiveBirth(page: Page): Promise<string> {
  await page.goto('/dossiers/new');
  await page.getByLabel('Tìm thủ tục').fill('khai sinh');
  await page.getByRole('button', { name: 'Chọn thủ tục Đăng ký khai sinh', exact: true }).click();
  await page.getByRole('button', { name: 'Đánh dấu đã nhận tất cả' }).click();
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await expect(page.getByLabel('Họ và tên người nộp')).toBeFocused();
  await page.keyboard.type('Phạm Thị Hoa');
  await page.keyboard.press('Tab');
  await page.keyboard.type('079196007777');
  await page.getByRole('button', { name: 'Người đi khai sinh là mẹ của trẻ' }).click();
  await page.getByLabel('Họ, chữ đệm và tên của trẻ').click();
  await page.keyboard.type('Nguyễn Minh Khôi');
  await page.keyboard.press('Tab');
  await page.keyboard.type(BIRTH);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Nam');
  await page.getByLabel('Nơi sinh').click();
  await page.keyboard.type('TYT An Phú');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await expect(page.getByTestId('dossier-code')).toBeVisible();
  return (await page.getByTestId('dossier-code').textContent())?.trim() ?? '';
}

test('the papers ticked at intake are in the dossier\'s documents tab for the specialist and the leader', async ({ page, browser }, info) => {
  const shot = shooter(info);
  await signIn(page, 'motcua.anphu');
  dossierCode = await receiveBirth(page);
  expect(dossierCode).toMatch(/^000\.01\.31\.H99-/);

  for (const who of ['chuyenvien.anphu', 'lanhdao.anphu']) {
    const other = await (await browser.newContext()).newPage();
    await signIn(other, who);
    await other.goto(`/dossiers/${encodeURIComponent(dossierCode)}`);
    await other.getByRole('tab', { name: 'Tài liệu' }).click();
    const papers = other.getByTestId('intake-papers');
    await expect(papers.getByRole('row', { name: /Tờ khai đăng ký khai sinh/ })).toBeVisible();
    await expect(papers.getByRole('row', { name: /Giấy chứng sinh do cơ sở y tế cấp/ })).toBeVisible();
    // "tick all" ticked the papers of other cases too; the dossier keeps only those that apply
    await expect(papers.getByRole('row', { name: /người làm chứng/ })).toHaveCount(0);
    await expect(other.getByText('Chưa có tài liệu.')).toHaveCount(0);
    await shot(other, `documents-${who.split('.')[0]}`, [other.getByRole('heading', { name: 'Giấy tờ đã nhận khi tiếp nhận' }), papers]);
    await other.context().close();
  }
});
