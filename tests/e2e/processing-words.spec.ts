/**
 * The specialist's dossier screen, read as he reads it: the time beside the current step is
 * that step's deadline and says so ("hạn bước …", not a bare time an hour ahead that looks like
 * when the step began); once he has taken the dossier and nobody else of his role is at the
 * unit, no "Giao cho cán bộ" list with nothing to choose and a "Giao" that never works.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { receiveCopyRequest } from './support/dossiers';
import { shooter, signIn } from './support/shots';

const receive = (request: APIRequestContext): Promise<string> =>
  receiveCopyRequest(request, { name: 'Lê Văn Tâm', id: '001090000777', phone: '0901000777' }, 1990);

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
