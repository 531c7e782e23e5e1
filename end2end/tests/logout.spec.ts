// Logging out ends the session on the server: the pages ask for a login again.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, login } from '../helpers/actions';

test('logging out returns to the login page and the session no longer works', async ({ page }) => {
    await login(page, 'assistant@aula.test', DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await expect(page.getByRole('heading', { name: 'Log in to Aula' })).toBeVisible();
    const me = await page.request.post('/api/auth/me');
    expect(await me.json()).toBeNull();
    await page.goto('/courses');
    await expect(page).toHaveURL(/\/login\?next=\/courses/);
});
