/**
 * The designer undoes and redoes as they draw: adding a step, renaming it, and back again,
 * with the toolbar naming what each button will do.
 */
import { expect, test } from '@playwright/test';
import { newProcedure } from './support/designer';

test('a designer adds and renames a step, undoes both and redoes both', async ({ page }) => {
  await newProcedure(page, { code: '9.100001', name: 'Thủ tục thử hoàn tác' });
  const nodes = page.locator('[data-testid^="step-"]:not([data-testid="step-__global"])');
  const before = await nodes.count();
  const undo = page.getByRole('button', { name: /Hoàn tác/ });
  const redo = page.getByRole('button', { name: /Làm lại/ });

  await page.getByRole('button', { name: 'Thêm bước: Xử lý' }).click();
  await expect(nodes).toHaveCount(before + 1);
  const name = page.getByLabel('Tên bước (tiếng Việt)');
  await name.fill('Thẩm định hồ sơ');
  await expect(page.locator('.react-flow').getByText('Thẩm định hồ sơ')).toBeVisible();

  // the name typed is one change, undone first; then the step goes
  await undo.click();
  await expect(page.locator('.react-flow').getByText('Thẩm định hồ sơ')).toHaveCount(0);
  await expect(nodes).toHaveCount(before + 1);
  await undo.click();
  await expect(nodes).toHaveCount(before);
  await expect(redo).toBeEnabled();

  await redo.click();
  await expect(nodes).toHaveCount(before + 1);
  await redo.click();
  await expect(page.locator('.react-flow').getByText('Thẩm định hồ sơ')).toBeVisible();
  await expect(redo).toBeDisabled();
});
