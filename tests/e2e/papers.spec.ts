/**
 * Papers citizens need not bring again: the desk looks the applicant up in the population
 * database (the demo's simulator) with her consent, receives her dossier and digitises her
 * divorce judgment; at her second intake the checklist shows "đã có bản điện tử", the
 * applicant is pre-filled from the population database, and the new dossier holds the
 * reused electronic copy. The dashboard then shows the digitisation indicators.
 */
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support/shots';

const MY = { id: '099196004040', name: 'Kiều Thị Mỹ' };
// A one-page PDF, as a scanner would give.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Chooses the procedure, looks the applicant up with consent, and reaches the declaration. */
async function startIntake(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
  await page.getByLabel('Tìm thủ tục').fill('tình trạng hôn nhân');
  await page.getByRole('button', { name: /Chọn thủ tục .*tình trạng hôn nhân/i }).first().click();
  const shared = page.getByTestId('shared-data');
  await expect(shared.getByText('Dữ liệu đã có của công dân')).toBeVisible();
  await shared.getByLabel('Số định danh cá nhân').fill(MY.id);
  await shared.getByLabel(/Công dân đồng ý cho tra cứu/).check();
  await shared.getByRole('button', { name: 'Tra cứu CSDL quốc gia về dân cư' }).click();
  await expect(shared.getByRole('status')).toContainText(`Đã tìm thấy: ${MY.name}`);
  // the identity paper is not asked for once the population database has the person
  await expect(page.getByTestId('note-identity')).toContainText('không yêu cầu — đã có dữ liệu từ CSDL dân cư');
}

/** Declaration (pre-filled), review, accept; answers the dossier's code. */
async function finishIntake(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  // pre-filled from the population database
  await expect(page.getByLabel(/Họ và tên người nộp/)).toHaveValue(MY.name);
  await expect(page.getByLabel(/Số định danh/).first()).toHaveValue(MY.id);
  await page.getByLabel(/Tình trạng hôn nhân/).selectOption({ label: 'Đã ly hôn' });
  const purpose = page.locator('#intake_data_purpose');
  if ((await purpose.evaluate((e) => e.tagName)) === 'SELECT') await purpose.selectOption({ label: 'Để đăng ký kết hôn' });
  else await purpose.fill('marriage');
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await expect(page.getByTestId('intake-declaration')).toBeVisible();
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  const code = page.getByTestId('dossier-code');
  await expect(code).toBeVisible();
  const id = (await code.textContent())!.trim();
  await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(id) }).or(page.getByText(id).first())).toBeVisible();
  await page.getByRole('tab', { name: 'Tài liệu' }).or(page.getByRole('button', { name: 'Tài liệu' })).first().click();
  return id;
}

test('the desk digitises a paper at intake, and the second intake of the same citizen reuses it and is pre-filled', async ({ page }) => {
  await signIn(page, 'motcua.anphu');

  // first intake: the divorce judgment is brought on paper
  await startIntake(page);
  await expect(page.getByTestId('note-divorceProof')).not.toContainText('đã có bản điện tử');
  await page.getByRole('button', { name: 'Đánh dấu đã nhận tất cả' }).click();
  const first = await finishIntake(page);

  // the desk scans it and marks it digitised with its metadata
  await page.getByLabel(/Chọn tệp/).setInputFiles({ name: 'ban-an-ly-hon.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Tải lên' }).click();
  await expect(page.getByRole('row', { name: /ban-an-ly-hon\.pdf/ })).toContainText('Giấy tờ nộp');
  await page.getByRole('row', { name: /ban-an-ly-hon\.pdf/ }).getByRole('button', { name: 'Số hóa' }).click();
  const form = page.getByRole('form', { name: /Số hóa giấy tờ/ });
  await form.getByLabel('Giấy tờ trong thành phần hồ sơ').selectOption('divorceProof');
  await form.getByLabel('Số, ký hiệu').fill('12/2023/HNGĐ-ST');
  await form.getByLabel('Cơ quan cấp').fill('Tòa án nhân dân huyện An Phú');
  await form.getByLabel('Ngày cấp').fill('2023-03-15');
  await expect(form.getByLabel('Số định danh của người được cấp')).toHaveValue(MY.id);
  await form.getByRole('button', { name: 'Ghi nhận bản sao điện tử' }).click();
  const row = page.getByRole('row', { name: /ban-an-ly-hon\.pdf/ });
  await expect(row).toContainText('Bản sao điện tử');
  await expect(row).toContainText('12/2023/HNGĐ-ST — Tòa án nhân dân huyện An Phú, ngày 2023-03-15');
  await expect(page.getByTestId('digitised-count')).toHaveText('Giấy tờ đã số hóa: 1');

  // second intake of the same citizen: "đã có bản điện tử", pre-filled from the population database
  await startIntake(page);
  const note = page.getByTestId('note-divorceProof');
  await expect(note).toContainText('đã có bản điện tử');
  await expect(note.getByRole('checkbox')).toBeChecked();
  await page.getByRole('button', { name: 'Đánh dấu đã nhận tất cả' }).click();
  const second = await finishIntake(page);
  expect(second).not.toBe(first);
  const reused = page.getByRole('row', { name: /ban-an-ly-hon\.pdf/ });
  await expect(reused).toContainText('Bản sao điện tử');
  await expect(reused).toContainText('dùng lại từ hồ sơ trước');

  // the dashboard shows the indicators
  await page.getByRole('link', { name: /Thống kê|Bảng điều khiển|Báo cáo/ }).first().click();
  const card = page.getByTestId('digitisation');
  await expect(card.getByRole('heading', { name: 'Chỉ số số hóa (Quyết định 766/QĐ-TTg)' })).toBeVisible();
  await expect(card).toContainText('Hồ sơ có giấy tờ được số hóa');
  await expect(card).toContainText('Hồ sơ dùng lại dữ liệu đã có');
});
