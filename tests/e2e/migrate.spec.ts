/**
 * A process designer draws a run-time hand-off in a new version of a procedure (the former
 * commune, chosen from the dossier's data, verifies), saves and publishes it and, from the designer's
 * comparison with the previous version, moves the open dossiers to it: the dry run lists
 * every open dossier with its fate, the move is confirmed with its count, and the list then
 * says which dossiers moved (docs/migration.md).
 */
import { expect, test } from '@playwright/test';
import { shooter, signIn } from './support/shots';

const NAME = 'Cấp Giấy xác nhận tình trạng hôn nhân';

test('a designer draws a run-time hand-off, publishes the new version and migrates the open dossiers from the diff view', async ({ page, request }, info) => {
  const shot = shooter(info);
  // three dossiers received at An Phú under the version in force, still open
  const login = await request.post('/api/auth/login', { data: { username: 'motcua.anphu', password: 'motcua.anphu@123' } });
  expect(login.status()).toBe(200);
  const desk = { Authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
  for (let i = 0; i < 3; i++) {
    const received = await request.post('/api/dossiers', {
      headers: desk,
      data: {
        procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: '000.01.31.H99',
        applicant: { id: `07919600404${i}`, name: `Kiều Thị Mỹ ${i}`, phone: '0912345678' },
        data: { personName: `Kiều Thị Mỹ ${i}`, dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
      },
    });
    expect(received.status(), await received.text()).toBe(201);
  }

  await signIn(page, 'thietke');
  await page.goto('/designer');
  await page.getByLabel('Tìm thủ tục').fill('tình trạng hôn nhân');
  await page.getByRole('button', { name: `Tạo bản nháp mới – ${NAME}`, exact: true }).click();
  await expect(page.getByTestId('step-verify')).toBeVisible();
  const version = Number((/\/designer\/[^/]+\/(\d+)/.exec(page.url()) ?? [])[1]);
  expect(version).toBeGreaterThan(1);

  // the new version asks the applicant's former commune, chosen at run time, to verify: a
  // hand-off drawn from the toolbar, its unit from the dossier's data, its answer leading to signing
  await page.getByRole('button', { name: 'Thêm bước: Liên thông' }).click();
  const handoff = page.getByTestId(/^step-handoff\d*$/);
  await expect(handoff).toBeVisible();
  await handoff.click();
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  const box = page.locator('fieldset[data-field="handoff"]');
  await expect(box).toBeVisible();
  await box.getByLabel('Thủ tục liên thông (mã)').fill('xac-minh-tinh-trang-hon-nhan');
  await box.getByLabel('Đơn vị nhận liên thông').selectOption('data');
  await box.getByLabel('Biểu thức chọn đơn vị (JSON Logic, trả về mã đơn vị)').fill('{"var": "data.previousCommune"}');
  // live validation: the field is declared nowhere, so the unit would always be empty: said beside the expression
  await expect(box.getByRole('alert')).toContainText('Dữ liệu hồ sơ không có trường "previousCommune"');
  // the specialist enters the former commune when the step is reached (an input), as the proof procedure does with its data
  await box.getByLabel('Biểu thức chọn đơn vị (JSON Logic, trả về mã đơn vị)').fill('{"var": "inputs.previousCommune"}');
  await box.getByLabel('Khi đơn vị liên thông trả lời, chuyển sang bước').selectOption('sign');
  await expect(box.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('issue-count')).toHaveText(/^(0 lỗi|Không có lỗi)/);
  await expect(handoff).not.toHaveClass(/mark-error/);
  await shot(page, 'migrate-handoff-drawn', box);
  // saved (the button stays enabled while edits are unsaved or refused)
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('button', { name: 'Lưu bản nháp' })).toBeDisabled();

  // the new version is published first: dossiers move only to a version in force
  await page.getByRole('button', { name: 'Công bố' }).click();
  const publish = page.getByRole('dialog');
  await publish.getByRole('button', { name: `Ban hành phiên bản ${version}` }).click();
  await expect(page.getByText(new RegExp(`Đã công bố phiên bản ${version}`))).toBeVisible();

  // the diff view (Metrics tab) offers the migration from the version compared
  await page.getByRole('tab', { name: 'Chỉ số' }).click();
  await expect(page.getByRole('heading', { name: `So với phiên bản đang áp dụng (v${version - 1})` })).toBeVisible();
  await page.getByRole('button', { name: `Chuyển hồ sơ đang xử lý từ v${version - 1} sang v${version}…` }).click();
  const dialog = page.getByTestId('migrate-dialog');
  await expect(dialog).toBeVisible();
  // the mapping is pre-filled by step id
  await expect(dialog.locator('select[data-step="verify"]')).toHaveValue('verify');
  await expect(dialog.locator('select[data-step="intake"]')).toHaveValue('intake');
  await shot(page, 'migrate-plan', dialog.locator('select[data-step="verify"]'));

  // the dry run lists every open dossier with its fate
  await dialog.getByRole('button', { name: 'Chạy thử' }).click();
  const counts = dialog.getByTestId('migrate-counts');
  await expect(counts).toContainText(/\d+ hồ sơ đang xử lý: \d+ chuyển được, 0 giữ ở phiên bản cũ, \d+ không chuyển được/);
  const [, open, moves] = (/(\d+) hồ sơ đang xử lý: (\d+) chuyển được/.exec(await counts.innerText()) ?? []).map(Number);
  expect(open).toBeGreaterThanOrEqual(3);
  expect(moves).toBeGreaterThanOrEqual(3);
  const rows = dialog.getByTestId('migrate-row');
  await expect(rows).toHaveCount(open!);
  await expect(dialog.locator('[data-testid="migrate-row"][data-fate="moves"]')).toHaveCount(moves!);
  await shot(page, 'migrate-dry-run', counts);

  // the move asks for confirmation with its count, then says what happened
  await dialog.getByRole('button', { name: 'Chuyển hồ sơ…' }).click();
  const confirm = page.getByRole('dialog', { name: `Chuyển ${moves} hồ sơ sang phiên bản ${version}?` });
  await expect(confirm.getByText(/Không hoàn tác được/)).toBeVisible();
  await confirm.getByRole('button', { name: `Chuyển ${moves} hồ sơ` }).click();
  await expect(dialog.getByRole('status')).toContainText(`Đã chuyển ${moves} hồ sơ`);
  await expect(dialog.locator('[data-testid="migrate-row"][data-fate="moved"]')).toHaveCount(moves!);
  await expect(dialog.locator('[data-testid="migrate-row"][data-fate="moves"]')).toHaveCount(0);
  await shot(page, 'migrate-done', dialog.getByRole('status'));

  // and a second dry run finds only the dossiers that could not move
  await dialog.getByRole('button', { name: 'Chạy thử' }).click();
  await expect(counts).toContainText(new RegExp(`^${open! - moves!} hồ sơ đang xử lý: 0 chuyển được`));
});
