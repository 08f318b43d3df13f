/**
 * Issue 15 in the designer: a process designer draws a hand-off whose unit is chosen at run
 * time from the dossier's data (the commune of the applicant's former residence), and the
 * property panel shows the expression and the engine's live finding for a bad one, beside it;
 * the step comes with the action that resumes it, so once its answer is routed the draft saves.
 * (tests/e2e/migrate.spec.ts draws one in a new version and moves the open dossiers to it.)
 */
import { expect, test, type Page } from '@playwright/test';
import { shooter } from './support/shots';
import { newProcedure } from './support/designer';

const stamp = Date.now().toString(36).slice(-5);
const PROCEDURE = { code: `9.${stamp}`, name: `Xác nhận có xác minh ${stamp}` };
const EXPRESSION = 'Biểu thức chọn đơn vị (JSON Logic, trả về mã đơn vị)';

const handoffBox = (page: Page) => page.locator('fieldset[data-field="handoff"]');

test('a designer draws a hand-off to a unit chosen at run time, and sees a bad expression refused beside it', async ({ page }, info) => {
  const shot = shooter(info);
  await newProcedure(page, PROCEDURE);

  // a hand-off step, drawn from the toolbar, selected
  await page.getByRole('button', { name: 'Thêm bước: Liên thông' }).click();
  await expect(page.getByTestId('step-handoff')).toBeVisible();
  await page.getByTestId('step-handoff').click();
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  await expect(handoffBox(page)).toBeVisible();

  // the linked procedure and a unit chosen from the data, of the kinds a commune verification needs
  await handoffBox(page).getByLabel('Thủ tục liên thông (mã)').fill('xac-minh-tinh-trang-hon-nhan');
  await handoffBox(page).getByLabel('Đơn vị nhận liên thông').selectOption('data');
  await expect(handoffBox(page).getByLabel('UBND xã', { exact: true })).toBeChecked();
  await expect(handoffBox(page).getByLabel('UBND phường', { exact: true })).toBeChecked();
  await expect(handoffBox(page).getByLabel('Công an cấp xã')).not.toBeChecked();

  // a bad expression: a variable outside data, inputs and dossier; the engine's finding shows under it
  const expression = handoffBox(page).getByLabel(EXPRESSION);
  await expression.fill('{"var": "previousCommune"}');
  await expect(expression).toHaveValue('{"var": "previousCommune"}');
  const alert = handoffBox(page).getByRole('alert');
  await expect(alert).toContainText('không bắt đầu bằng "data.", "inputs." hoặc "dossier."');
  await expect(alert).toContainText('/handoff/unit/expression/var');
  await shot(page, 'bad-expression', [expression, alert]);

  // not JSON at all: said at once, the definition keeps the last rule that parsed
  await expression.fill('{"var": ');
  await expect(handoffBox(page).getByText(/JSON không hợp lệ/)).toBeVisible();

  // fixed: the unit comes from what the specialist enters when asking (the action's input)
  await expression.fill('{"var": "inputs.previousCommune"}');
  await expect(handoffBox(page).getByRole('alert')).toHaveCount(0);
  await handoffBox(page).getByLabel(/Diễn giải đơn vị/).fill('UBND cấp xã nơi thường trú trước đây');

  // the answer comes back into the parent's data
  await handoffBox(page).getByRole('button', { name: 'Thêm dữ liệu nhận về' }).click();
  await handoffBox(page).getByLabel('Trường nhận 1').fill('previousStatus');
  await handoffBox(page).getByLabel('Dữ liệu trả về 1').fill('maritalStatus');
  await expect(handoffBox(page).getByLabel('Trường nhận 1')).toHaveValue('previousStatus');
  await shot(page, 'run-time-handoff', [expression, handoffBox(page).getByLabel('Dữ liệu trả về 1')]);

  // drawn from the toolbar, the hand-off already has the system action that resumes it: what
  // is left is where the answer leads, said in the box until it is chosen
  await expect(handoffBox(page).getByRole('note')).toContainText('kéo mũi tên từ bước này');
  await handoffBox(page).getByLabel('Khi đơn vị liên thông trả lời, chuyển sang bước').selectOption('done');
  await expect(handoffBox(page).getByRole('note')).toHaveCount(0);
  // the hand-off itself has nothing wrong left
  await expect(page.getByTestId('step-handoff')).not.toHaveClass(/mark-error/);
  await expect(handoffBox(page).getByRole('alert')).toHaveCount(0);
  await shot(page, 'handoff-answer-route', handoffBox(page).getByLabel('Khi đơn vị liên thông trả lời, chuyển sang bước'));

  // and the draft saves as it stands
  // saved (the button stays enabled while edits are unsaved or refused)
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('button', { name: 'Lưu bản nháp' })).toBeDisabled();
});
