/**
 * A delegate has a dossier of another commune open when the delegation is revoked: the page
 * says at once that the dossier is out of their sight and stops offering actions, without a
 * reload (the socket reconnects with the new rights and its watch of the dossier is refused).
 * Before, the socket the server closed on the change stayed closed ("Mất kết nối, đang thử
 * lại…" until a reload): the client asked to connect before the close had arrived.
 */
import { expect, test, type APIRequestContext, type Response } from '@playwright/test';
import { shooter, signIn } from './support/shots';
import { receiveLateBirth } from './support/dossiers';

async function tokenOf(request: APIRequestContext, username: string): Promise<{ Authorization: string }> {
  const login = await request.post('/api/auth/login', { data: { username, password: `${username}@123` } });
  expect(login.ok(), await login.text()).toBe(true);
  return { Authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
}

test('a delegate whose delegation is revoked while a dossier is open is told it left their sight, and the actions go', async ({ page, request }, info) => {
  const shot = shooter(info);
  const code = await receiveLateBirth(request);
  // An Phú's chairman authorises Bình Minh's specialist to act as An Phú's leader until tomorrow
  const leader = await tokenOf(request, 'lanhdao.anphu');
  const me = (await (await request.get('/api/auth/me', { headers: leader })).json()) as { id: string; grants: { role: string; unit: string }[] };
  const anphu = me.grants.find((g) => g.role === 'leader')!.unit;
  const now = Date.now();
  const made = await request.post('/api/delegations', {
    headers: leader,
    data: {
      kind: 'authorisation', from: me.id, to: 'u-chuyenvien.binhminh', scope: { roles: ['leader'], units: [anphu] },
      validFrom: new Date(now - 60_000).toISOString(), validTo: new Date(now + 24 * 3600_000).toISOString(), decision: '45/QĐ-UBND',
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  const delegationId = ((await made.json()) as { id: string }).id;

  // the delegate opens the dossier: An Phú's, seen through the delegation
  await signIn(page, 'chuyenvien.binhminh');
  await page.goto(`/dossiers/${encodeURIComponent(code)}`);
  await shot(page, 'delegate-dossier', page.getByRole('heading', { name: 'Thao tác' }));

  // (the socket's reconnection reads the page again: the history's reading is refused now)
  const isHistoryRefused = (r: Response) => r.request().method() === 'GET' && r.url().endsWith(`/api/dossiers/${encodeURIComponent(code)}/events`) && r.status() === 403;
  const historyRefused = page.waitForResponse(isHistoryRefused);
  // when the chairman revokes the delegation
  const revoked = await request.post(`/api/delegations/${encodeURIComponent(delegationId)}/revoke`, { headers: leader, data: {} });
  expect(revoked.status(), await revoked.text()).toBe(200);

  // then the open page says so, without a reload, and offers no action
  const notice = page.getByRole('alert').filter({ hasText: 'Hồ sơ vừa chuyển ra khỏi phạm vi bạn được xem' });
  await expect(notice).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Thao tác' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
  // and the live connection is back (the server closed it to apply the new rights)
  await expect(page.getByRole('status').filter({ hasText: 'Đang cập nhật trực tiếp' })).toBeAttached();
  await shot(page, 'delegate-out-of-sight', notice);

  // and the history keeps what it showed, without its own refusal repeating the notice under it
  await historyRefused;
  const history = page.getByRole('tabpanel');
  await expect(history.locator('ol.timeline > li').first()).toBeVisible();
  await expect(page.getByText('không thuộc đơn vị của bạn')).toHaveCount(0);
  // also once the tab is opened again (it reads again, and is refused again)
  const refusedAgain = page.waitForResponse(isHistoryRefused);
  await page.getByRole('tab', { name: 'Tài liệu' }).click();
  await page.getByRole('tab', { name: 'Lịch sử xử lý' }).click();
  await refusedAgain;
  await expect(history.locator('ol.timeline > li').first()).toBeVisible();
  await expect(page.getByText('không thuộc đơn vị của bạn')).toHaveCount(0);
});
