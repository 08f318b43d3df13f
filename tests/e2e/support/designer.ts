/** The designer's first moves, shared by the browser tests that author a procedure. */
import { expect, type Page } from '@playwright/test';
import { signIn } from './shots';

/** Signs the provincial designer in and creates a new procedure from the template; returns once its intake step shows. */
export async function newProcedure(page: Page, procedure: { code: string; name: string }): Promise<void> {
  await signIn(page, 'thietke');
  await page.goto('/designer');
  await page.getByRole('button', { name: 'Thủ tục mới' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Mã thủ tục').fill(procedure.code);
  await dialog.getByLabel('Tên thủ tục').fill(procedure.name);
  await dialog.getByRole('button', { name: 'Tạo thủ tục' }).click();
  await expect(page.getByTestId('step-intake')).toBeVisible();
}
