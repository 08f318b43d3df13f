/**
 * Issue 15 as a provincial process designer meets it on a brand-new procedure: it opens with no
 * error (its acceptance leads to the end), a hand-off added under the selected intake step lands
 * clear of every step, and what is left unfinished is said beside the field it concerns, in
 * words: a linked procedure the server does not have, an answer it does not return, a unit
 * expression reading a field no form declares, a deadline case whose condition
 * names no field, a provincial parameter key that is not one. Fixed, the procedure checks clean.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { shooter } from './support/shots';
import { newProcedure } from './support/designer';

const stamp = Date.now().toString(36).slice(-5);
const PROCEDURE = { code: `9.7${stamp}`, name: `Xác nhận theo trường hợp ${stamp}` };

const issueCount = (page: Page): Locator => page.getByTestId('issue-count');
const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('a new procedure opens clean, a new hand-off lands in free space, and unfinished authoring is said beside its field', async ({ page }, info) => {
  const shot = shooter(info);
  await newProcedure(page, PROCEDURE);

  // a brand-new procedure: intake leads to the end, nothing to fix before the designer did anything
  await expect(page.getByTestId('step-intake')).toBeVisible();
  await expect(page.getByTestId('step-done')).toBeVisible();
  await expect(issueCount(page)).toHaveText('Không có lỗi');
  await shot(page, 'new-procedure-clean', [page.getByTestId('step-intake'), issueCount(page)]);

  // a hand-off added with the intake step selected lands clear of the intake and end steps
  await page.getByTestId('step-intake').click();
  await page.getByRole('button', { name: 'Thêm bước: Liên thông' }).click();
  const handoff = page.getByTestId('step-handoff');
  await expect(handoff).toBeVisible();
  const box = (await handoff.boundingBox())!;
  for (const other of ['intake', 'done']) {
    const b = (await page.getByTestId(`step-${other}`).boundingBox())!;
    expect(overlap(box, b), `the hand-off covers step ${other}`).toBe(false);
  }
  // nor the arrow from intake to the end, which runs straight down between them
  const intake = (await page.getByTestId('step-intake').boundingBox())!;
  const arrowX = intake.x + intake.width / 2;
  expect(box.x > arrowX || box.x + box.width < arrowX, 'the hand-off sits on the arrow intake → end').toBe(true);

  // its unit read from a data field no form declares: said beside the expression
  const handoffBox = page.locator('fieldset[data-field="handoff"]');
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  // a linked procedure the server does not have: said beside the field, checked against the server live
  const linkedId = handoffBox.getByLabel('Thủ tục liên thông (mã)');
  await linkedId.fill('xac-minh-khong-co');
  await expect(handoffBox.getByRole('alert')).toContainText('Không có thủ tục mã "xac-minh-khong-co"');
  await shot(page, 'unknown-linked-procedure', [linkedId, handoffBox.getByRole('alert')]);
  await linkedId.fill('xac-minh-tinh-trang-hon-nhan');
  await expect(handoffBox.getByRole('alert')).toHaveCount(0);
  await handoffBox.getByLabel('Đơn vị nhận liên thông').selectOption('data');
  const expression = handoffBox.getByLabel('Biểu thức chọn đơn vị (JSON Logic, trả về mã đơn vị)');
  await expression.fill('{"var": "data.previousCommune"}');
  await expect(handoffBox.getByRole('alert')).toContainText('Dữ liệu hồ sơ không có trường "previousCommune"');
  await shot(page, 'undeclared-field', [expression, handoffBox.getByRole('alert')]);
  // read from what the specialist enters when asking (an input) instead: the alert goes
  await expression.fill('{"var": "inputs.previousCommune"}');
  await expect(handoffBox.getByRole('alert')).toHaveCount(0);
  await handoffBox.getByLabel('Khi đơn vị liên thông trả lời, chuyển sang bước').selectOption('done');
  // an answer the linked procedure does not return: said with the answers it does return
  await handoffBox.getByRole('button', { name: 'Thêm dữ liệu nhận về' }).click();
  await handoffBox.getByLabel('Trường nhận 1').fill('previousStatus');
  await handoffBox.getByLabel('Dữ liệu trả về 1').fill('tinhTrang');
  await expect(handoffBox.getByRole('alert')).toContainText('không trả về "tinhTrang" (chỉ trả về:');
  await expect(handoffBox.getByRole('alert')).toContainText('"maritalStatus"');
  await shot(page, 'unknown-answer', [handoffBox.getByLabel('Dữ liệu trả về 1'), handoffBox.getByRole('alert')]);
  await handoffBox.getByLabel('Dữ liệu trả về 1').fill('maritalStatus');
  await expect(handoffBox.getByRole('alert')).toHaveCount(0);

  // the procedure's own panel (nothing selected): a deadline case added, its field not named yet
  await page.keyboard.press('Escape');
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  const cases = page.locator('fieldset[data-field="legalDeadline.cases"]');
  await cases.getByRole('button', { name: 'Thêm trường hợp' }).click();
  await expect(cases.getByRole('alert')).toContainText('Chưa điền tên trường sau "data."');
  await shot(page, 'case-unfinished', cases.getByRole('alert'));
  // left for later: removed, the procedure has nothing unfinished again
  await cases.getByRole('button', { name: 'Xoá trường hợp 1' }).click();
  await expect(cases.getByRole('alert')).toHaveCount(0);

  // a fee with a parameter key written as a name: the rule is said beside the field, with an example
  await page.locator('fieldset[data-field="fees"]').getByRole('button', { name: 'Thêm khoản phí' }).click();
  const params = page.locator('fieldset[data-field="fees.param"]');
  const param = params.getByRole('textbox').first();
  await param.fill('Phí HĐND');
  await expect(params.getByRole('alert')).toContainText('ví dụ "fee.khai-sinh-qua-han"');
  await params.getByRole('alert').scrollIntoViewIfNeeded();
  await shot(page, 'bad-param-key', [param, params.getByRole('alert')]);
  await param.fill('fee.xac-nhan-hon-nhan');
  await expect(params.getByRole('alert')).toHaveCount(0);
  await expect(issueCount(page)).not.toHaveText(/[1-9]\d* lỗi/);
});
