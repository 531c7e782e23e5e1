// What users see when things go wrong.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, hydrated, login } from '../helpers/actions';

test('an unknown address shows a 404 page', async ({ page }) => {
    const res = await page.goto('/this/does/not/exist');
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('a meeting script that fails to load shows a message and a working retry', async ({ page }) => {
    await login(page, 'student2@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: "Live lecture: Newton's laws" }).click();
    await hydrated(page);
    await page.route('**/external_api.js', (route) => route.abort());
    await page.getByTestId('join-button').click();
    await expect(page.getByTestId('meeting-error')).toContainText('The meeting could not be loaded');
    await page.unroute('**/external_api.js');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.frameLocator('#meeting iframe').getByTestId('display-name')).toHaveText('Sofía Student');
});

test('the interface follows the language picker', async ({ page }) => {
    await login(page, 'student2@aula.test', DEMO_PASSWORD);
    await page.getByLabel('Language').selectOption('es');
    await page.locator('.lang-form').getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { name: 'Área personal' })).toBeVisible();
    await page.getByLabel('Idioma').selectOption('en');
    await page.locator('.lang-form').getByRole('button', { name: 'Guardar' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
