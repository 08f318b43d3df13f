/**
 * The specialist's dossier screen, read as he reads it: the time beside the current step is
 * that step's deadline and says so ("hạn bước …", not a bare time an hour ahead that looks like
 * when the step began); once he has taken the dossier and nobody else of his role is at the
 * unit, no "Giao cho cán bộ" list with nothing to choose and a "Giao" that never works.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { shooter, signIn } from './support/shots';

async function receive(request: APIRequestContext): Promise<string> {
  const login = await request.post('/api/auth/login', { data: { username: 'motcua.anphu', password: 'motcua.anphu@123' } });
  expect(login.ok()).toBe(true);
  const headers = { Authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
  const me = (await (await request.get('/api/auth/me', { headers })).json()) as { grants: { role: string; unit: string }[] };
  const res = await request.post('/api/dossiers', {
    headers, data: {
      procedureId: 'cap-ban-sao-trich-luc-ho-tich', channel: 'direct', receivingUnit: me.grants.find((g) => g.role === 'desk')!.unit, accept: true,
      applicant: { name: 'Lê Văn Tâm', id: '001090000777', phone: '0901000777' },
      data: { eventType: 'birth', subjectName: 'Lê Văn Tâm', subjectPersonalId: '001090000777', registrationPlace: 'UBND xã An Phú', registrationYear: 1990, copies: 1 },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

test('the current step says its time is the step deadline, and the holder gets no empty hand-over list', async ({ page, request }, info) => {
  const shot = shooter(info);
  const code = await receive(request);
  await signIn(page, 'chuyenvien.anphu');
  await page.goto(`/dossiers/${encodeURIComponent(code)}`);
  const stepDue = page.locator('[data-testid^="step-due-"]');
  await shot(page, 'dossier', [page.getByRole('heading', { name: `Hồ sơ ${code}` }), stepDue]);
  await expect(stepDue).toHaveText(/^ · hạn bước \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);

  await page.getByRole('button', { name: 'Nhận xử lý' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Bạn đã nhận xử lý' })).toBeVisible();
  const hold = page.getByRole('region', { name: 'Người giữ hồ sơ' });
  await expect(hold).toContainText('Bùi Quang Toàn');
  // An Phú has one specialist, and he holds it: nobody to hand it to.
  await expect(hold.getByLabel('Giao cho cán bộ')).toHaveCount(0);
  await expect(hold.getByRole('button', { name: 'Giao' })).toHaveCount(0);
  await shot(page, 'taken', hold);
});
