/**
 * One procedure's life in the browser, as its users live it: a process designer draws a
 * four-step procedure from scratch and publishes it; a desk officer receives a dossier on
 * it; a specialist and a leader process it while a second browser watches the inbox change
 * live; the citizen looks it up and rates it; the dashboard counts it.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { shooter, signIn } from './support/shots';

test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36).slice(-5);
const PROCEDURE = { code: `9.${stamp}`, name: `Xác nhận thử nghiệm ${stamp}` };
const APPLICANT = { name: 'Nguyễn Thị Thử', id: '079196001234' };
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

let procedureId = '';
let dossierCode = '';

/** Drags from one React Flow handle to another with the mouse, as a designer connects two steps. */
async function connect(page: Page, from: string, to: string): Promise<void> {
  const source = page.getByTestId(`handle-out-${from}`);
  const target = page.getByTestId(`handle-in-${to}`);
  // "Vừa khung nhìn" keeps the text readable and may leave a wide row of steps partly off
  // screen; the canvas's own button shows the whole diagram, as a designer would press it.
  const inside = async () => {
    const area = await page.locator('.canvas-flow').boundingBox();
    const boxes = [await source.boundingBox(), await target.boundingBox()];
    return area !== null && boxes.every((b) => b !== null && b.x >= area.x && b.x + b.width <= area.x + area.width && b.y >= area.y && b.y + b.height <= area.y + area.height);
  };
  if (!(await inside())) await page.getByRole('button', { name: 'Xem toàn bộ sơ đồ (chữ có thể nhỏ)' }).click();
  // "Fit view" animates the viewport: take the handles' places once they stop moving.
  const seen: { last: string; boxes: [Box | null, Box | null] } = { last: '', boxes: [null, null] };
  await expect.poll(async () => {
    seen.boxes = [await source.boundingBox(), await target.boundingBox()];
    const now = JSON.stringify(seen.boxes);
    const still = seen.boxes[0] !== null && seen.boxes[1] !== null && now === seen.last;
    seen.last = now;
    return still;
  }, { intervals: [100] }).toBe(true);
  const [a, b] = seen.boxes;
  if (!a || !b) throw new Error(`handles of ${from} → ${to} not visible`);
  const lines = page.locator('.react-flow__edge');
  // The canvas re-renders its edges now and then (a read can see none for a moment): count them
  // once the count holds for three reads.
  let edges = -1;
  let held = 0;
  await expect.poll(async () => {
    const n = await lines.count();
    held = n === edges ? held + 1 : 0;
    edges = n;
    return held >= 2;
  }, { intervals: [100] }).toBe(true);
  // A busy page (CI's two cores) sometimes misses a drag: drawn again only while no edge was added.
  await expect(async () => {
    if ((await lines.count()) === edges) {
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await expect(lines, `edge ${from} → ${to}`).toHaveCount(edges + 1, { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
}

interface Box { x: number; y: number; width: number; height: number }

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

const issueCount = (page: Page): Locator => page.getByTestId('issue-count');

test('a designer draws a four-step procedure, fixes a validation error and publishes it', async ({ page }, info) => {
  // The longest walk of the suite (about 2 minutes on a quiet 2-core machine, past 3 under load).
  test.setTimeout(360_000);
  const shot = shooter(info);
  await signIn(page, 'thietke');
  await page.goto('/designer');
  await expect(page.getByRole('button', { name: 'Thủ tục mới' })).toBeVisible();
  await shot(page, 'procedure-list', page.getByRole('row').nth(1));

  await page.getByRole('button', { name: 'Thủ tục mới' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Mã thủ tục').fill(PROCEDURE.code);
  await dialog.getByLabel('Tên thủ tục').fill(PROCEDURE.name);
  await shot(page, 'new-procedure', dialog.getByLabel('Tên thủ tục'));
  await dialog.getByRole('button', { name: 'Tạo thủ tục' }).click();
  await expect(page.getByTestId('step-intake')).toBeVisible();
  procedureId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
  expect(procedureId).not.toBe('');
  // a brand-new procedure is whole: its acceptance leads to the end, nothing is wrong yet
  await expect(issueCount(page)).toHaveText(/Không có lỗi/);
  await shot(page, 'editor-new', page.getByTestId('step-intake'));

  // steps: one added with the mouse, two with the keyboard (2 = task… per the toolbar order)
  await page.getByRole('button', { name: 'Thêm bước: Xử lý' }).click();
  await expect(page.getByTestId('step-task')).toBeVisible();
  await page.getByTestId('step-task').click();
  await page.keyboard.press('3');
  await expect(page.getByTestId('step-approval')).toBeVisible();
  await page.getByTestId('step-approval').click();
  await page.keyboard.press('8');
  await expect(page.getByTestId('step-returnResult')).toBeVisible();
  await page.getByRole('button', { name: 'Tự sắp xếp' }).click();
  await page.getByRole('button', { name: 'Vừa khung nhìn' }).click();
  await shot(page, 'steps-added', [page.getByTestId('step-task'), page.getByTestId('step-returnResult')]);

  // the steps are not connected yet: the engine in the browser says so
  await expect(issueCount(page)).not.toHaveText(/Không có lỗi/);
  await page.getByRole('tab', { name: /Kiểm tra/ }).click();
  await shot(page, 'validation-errors', page.getByRole('button', { name: /Tới vị trí lỗi/ }));

  // the template's acceptance led to the end: pointed at the new first step from its panel
  await page.getByTestId('step-intake').click();
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  await page.getByRole('button', { name: 'Sửa thao tác Tiếp nhận hồ sơ' }).click();
  await page.getByLabel('Chuyển tới bước').selectOption('task');
  await expect(page.getByLabel('Chuyển tới bước')).toHaveValue('task');
  // and the others connected by dragging handles
  await connect(page, 'task', 'approval');
  await connect(page, 'approval', 'returnResult');
  await connect(page, 'returnResult', 'done');
  await page.getByRole('button', { name: 'Tự sắp xếp' }).click();
  await page.getByRole('button', { name: 'Vừa khung nhìn' }).click();
  await shot(page, 'connected', page.getByTestId('step-done'));

  // a mistake: the approval step loses its role; the issue list points at it
  await page.getByTestId('step-approval').click();
  await page.getByRole('tab', { name: 'Thuộc tính' }).click();
  await page.getByLabel('Vai trò thực hiện').selectOption('');
  await expect(issueCount(page)).toHaveText(/[1-9]\d* lỗi/);
  await page.getByRole('tab', { name: /Kiểm tra/ }).click();
  await shot(page, 'role-missing', page.getByRole('button', { name: /Tới vị trí lỗi/ }));
  await page.getByRole('button', { name: /Tới vị trí lỗi/ }).first().click();
  await expect(page.getByLabel('Vai trò thực hiện')).toBeFocused();
  await page.getByLabel('Vai trò thực hiện').selectOption('leader');
  await expect(issueCount(page)).toHaveText(/Không có lỗi/);
  await shot(page, 'fixed', issueCount(page));

  await page.keyboard.press('Control+s');
  await expect(page.getByText('Chưa lưu')).toHaveCount(0);
  await page.getByRole('button', { name: 'Công bố' }).click();
  const publish = page.getByRole('dialog');
  // The one publish dialog (also the catalog screen's): first version, findings, effective from now
  await expect(publish.getByText('Phiên bản đầu tiên (chưa có phiên bản đang áp dụng)')).toBeVisible();
  await expect(publish.getByLabel('Có hiệu lực từ')).toHaveValue(new RegExp(`^${today()}T\\d{2}:\\d{2}$`));
  await expect(publish.getByLabel('Lý do áp dụng hồi tố')).toHaveCount(0);
  await shot(page, 'publish', publish.getByLabel('Có hiệu lực từ'));
  await publish.getByRole('button', { name: 'Ban hành phiên bản 1' }).click();
  await expect(page.getByText(/Đã công bố phiên bản 1/)).toBeVisible();
  await shot(page, 'published', page.getByText(/Đã công bố phiên bản 1/));
});

/** Takes the action on offer on a dossier page: its button, then the dialog's confirmation. */
async function takeAction(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Đã thực hiện/ })).toBeVisible();
}

test('a desk officer receives a dossier; the specialist sees it arrive live, a leader approves in bulk, the desk returns it', async ({ page, browser }, info) => {
  const shot = shooter(info);
  // a second browser: the specialist's inbox, open before the dossier exists
  const specialist = await newPage(browser);
  await signIn(specialist, 'chuyenvien.anphu');
  await specialist.goto('/dossiers');
  await expect(specialist.getByRole('tab', { name: /Cần tôi xử lý/ })).toBeVisible();
  await shot(specialist, 'specialist-inbox-before', [specialist.getByRole('heading', { level: 1 }), specialist.getByRole('tabpanel')]);
  // the views follow the ARIA tab pattern: arrows move between them
  await specialist.getByRole('tab', { name: /Cần tôi xử lý/ }).focus();
  await specialist.keyboard.press('ArrowRight');
  await expect(specialist.getByRole('tab', { selected: true })).not.toHaveText(/Cần tôi xử lý/);
  await expect(specialist.getByRole('tab', { selected: true })).toBeFocused();
  await specialist.keyboard.press('Home');
  await expect(specialist.getByRole('tab', { name: /Cần tôi xử lý/ })).toHaveAttribute('aria-selected', 'true');
  // and a leader's dashboard, left open to see the dossier counted when it is resolved
  const board = await newPage(browser);
  await signIn(board, 'lanhdao.anphu');
  await board.goto('/dashboard');
  const resolved = board.getByTestId('total-resolved');
  await expect(resolved).toBeVisible();
  const resolvedBefore = Number(await resolved.getAttribute('data-value'));

  await signIn(page, 'motcua.anphu');
  await page.goto('/dossiers/new');
  await page.getByLabel('Tìm thủ tục').fill(PROCEDURE.name);
  await shot(page, 'intake-find-procedure', page.getByRole('button', { name: new RegExp(`Chọn thủ tục ${PROCEDURE.name}`) }));
  await page.getByRole('button', { name: new RegExp(`Chọn thủ tục ${PROCEDURE.name}`) }).click();
  await shot(page, 'intake-documents', page.getByRole('heading', { level: 2 }));
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  await page.getByLabel('Họ và tên người nộp').fill(APPLICANT.name);
  await page.getByLabel('Số định danh cá nhân / mã số thuế').fill(APPLICANT.id);
  await shot(page, 'intake-applicant', page.getByLabel('Họ và tên người nộp'));
  await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
  // one review: the declaration, the fees, the channel and the units by name
  await shot(page, 'intake-review', [page.getByTestId('intake-declaration').getByText(APPLICANT.name), page.getByLabel('Đơn vị tiếp nhận')]);
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await expect(page.getByTestId('dossier-code')).toBeVisible();
  dossierCode = (await page.getByTestId('dossier-code').textContent())?.trim() ?? '';
  expect(dossierCode).toMatch(/^000\.01\.31\.H99-\d{6}-\d{4}$/);
  await expect(page.getByRole('button', { name: 'In giấy tiếp nhận và hẹn trả kết quả' })).toBeVisible();
  await shot(page, 'intake-received', page.getByTestId('dossier-code'));

  // the specialist's inbox shows it without a reload
  await expect(specialist.getByRole('link', { name: dossierCode })).toBeVisible();
  await shot(specialist, 'specialist-inbox-live', specialist.getByRole('link', { name: dossierCode }));
  await specialist.getByRole('link', { name: dossierCode }).click();
  await expect(specialist.getByText(APPLICANT.name).first()).toBeVisible();
  await shot(specialist, 'specialist-dossier', specialist.getByText(APPLICANT.name));
  await takeAction(specialist, 'Trình phê duyệt');
  await shot(specialist, 'specialist-submitted', specialist.getByRole('status').filter({ hasText: /Đã thực hiện/ }));

  // the leader approves from the inbox, in bulk
  const leader = await newPage(browser);
  await signIn(leader, 'lanhdao.anphu');
  await leader.goto('/dossiers');
  await leader.getByRole('checkbox', { name: `Chọn hồ sơ ${dossierCode}` }).check();
  await leader.getByRole('button', { name: 'Xử lý hàng loạt' }).click();
  const bulk = leader.getByRole('dialog');
  // the dialog lists what it will act on, and acts on nothing until an action is chosen
  const listed = bulk.getByRole('table', { name: 'Các hồ sơ sẽ được xử lý' });
  await expect(listed.getByRole('row').filter({ hasText: dossierCode })).toContainText(APPLICANT.name);
  const runButton = bulk.getByRole('button', { name: /Thực hiện cho 1 hồ sơ/ });
  await expect(runButton).toBeDisabled();
  const returnLabel = (await bulk.getByRole('option', { name: /Chuyển trả kết quả/ }).textContent()) ?? '';
  await bulk.getByRole('combobox', { name: /Thao tác chung/ }).selectOption({ label: returnLabel });
  await expect(runButton).toBeEnabled();
  await shot(leader, 'leader-bulk', listed);
  await bulk.getByRole('button', { name: /Thực hiện cho 1 hồ sơ/ }).click();
  await expect(bulk.getByText(/Kết quả:.*1 thành công/)).toBeVisible();
  await shot(leader, 'leader-bulk-done', bulk.getByText(/Kết quả:.*1 thành công/));
  await bulk.getByRole('button', { name: 'Đóng' }).first().click();

  // the desk returns the result; the history verifies
  await page.goto(`/dossiers/${encodeURIComponent(dossierCode)}`);
  await takeAction(page, 'Hoàn thành');
  await expect(page.getByText('Đã trả kết quả').first()).toBeVisible();
  await expect(page.getByText(/Lịch sử toàn vẹn/)).toBeVisible();
  await shot(page, 'desk-returned', page.getByText(/Lịch sử toàn vẹn/));

  // the dashboard left open counted it, without a reload
  await expect(resolved).toHaveAttribute('data-value', String(resolvedBefore + 1));
  await shot(board, 'dashboard-counted', resolved);
});

test('the citizen looks the dossier up by its code and rates the service', async ({ browser }, info) => {
  const shot = shooter(info);
  const citizen = await newPage(browser);
  // `/` leads a visitor to the catalog, which lists the procedures in force and searches them
  await citizen.goto('/');
  await expect(citizen).toHaveURL(/\/public$/);
  await shot(citizen, 'public-catalog', [citizen.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }), citizen.getByText(/Tìm thấy \d+ thủ tục/)]);
  await citizen.goto('/public?q=khai%20sinh');
  await shot(citizen, 'public-search', [citizen.getByText('Tìm thấy 3 thủ tục'), citizen.getByRole('link', { name: 'Đăng ký lại khai sinh' })]);
  await citizen.goto('/public/lookup');
  await citizen.getByLabel('Mã hồ sơ').fill(dossierCode);
  await citizen.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(citizen.getByTestId('dossier-status')).toBeVisible();
  await shot(citizen, 'lookup-result', citizen.getByTestId('dossier-status'));
  // the QR code on the receipt slip leads to the same page
  await citizen.goto(`/tra-cuu/${encodeURIComponent(dossierCode)}`);
  await expect(citizen).toHaveURL(new RegExp(`/public/lookup/${dossierCode.replace(/\./g, '\\.')}$`));
  await expect(citizen.getByTestId('dossier-status')).toBeVisible();
  // the code alone shows the status; the rest needs the last 4 digits of the applicant's phone or ID number
  await expect(citizen.getByText('Thủ tục', { exact: true })).toHaveCount(0);
  await citizen.getByLabel('4 số cuối điện thoại hoặc số giấy tờ của người nộp').fill(APPLICANT.id.slice(-4));
  await citizen.getByRole('button', { name: 'Xem chi tiết' }).click();
  await expect(citizen.getByText('Thủ tục', { exact: true })).toBeVisible();
  await citizen.getByRole('radio', { name: '5 – Rất hài lòng' }).check();
  await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(citizen.getByText('Cảm ơn ông/bà đã đánh giá!')).toBeVisible();
  await shot(citizen, 'rated', citizen.getByText('Cảm ơn ông/bà đã đánh giá!'));
});
