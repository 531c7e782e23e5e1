// A teacher creates a guest link on the activity page; a person without an account opens it,
// gives a name and is in the meeting; a revoked link shows a clear page.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, hydrated, localTimeIn, login } from '../helpers/actions';

test('a guest joins through a link, and a revoked link says so', async ({ page, browser }) => {
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: "Live lecture: Newton's laws" }).click();
    await hydrated(page);
    const panel = page.getByTestId('guest-links');
    await panel.getByLabel('Label (who it is for)').fill('Visiting parents');
    await panel.getByLabel('Valid until').fill((await localTimeIn(page, 3600)).slice(0, 16));
    await panel.getByLabel('Maximum uses (empty: no limit)').fill('5');
    await panel.getByRole('button', { name: 'Create link' }).click();
    const link = panel.getByTestId('guest-link').filter({ hasText: 'Visiting parents' });
    await expect(link).toBeVisible();
    await expect(link.locator('.qr svg')).toBeVisible();
    const url = await link.getByTestId('guest-url').inputValue();
    expect(url).toMatch(/\/guest\/[0-9a-f]{64}$/);

    // A guest, in a browser with no Aula session at all.
    const context = await browser.newContext();
    const guest = await context.newPage();
    await guest.goto(url);
    await hydrated(guest);
    await expect(guest.getByRole('heading', { name: "Live lecture: Newton's laws" })).toBeVisible();
    await guest.getByLabel('Your name').fill('Pat Parent');
    await guest.getByRole('button', { name: 'Join the meeting' }).click();
    const frame = guest.frameLocator('#meeting iframe');
    await expect(frame.getByTestId('display-name')).toHaveText('Pat Parent');
    await expect(frame.getByTestId('status')).toHaveText('joined');
    // The guest's time is counted under their guest identity.
    await expect(guest.getByTestId('attendance-status')).toHaveAttribute('data-state', 'counting');

    // The teacher sees the use, then revokes the link.
    await page.reload();
    await hydrated(page);
    const again = page.getByTestId('guest-link').filter({ hasText: 'Visiting parents' });
    await expect(again).toContainText('1 of 5 uses');
    await again.getByRole('button', { name: 'Revoke' }).click();
    await expect(again).toContainText('This link has been revoked');

    const late = await context.newPage();
    await late.goto(url);
    await expect(late.getByTestId('guest-refused')).toContainText('This link has been revoked by the teacher.');
    await context.close();
});
