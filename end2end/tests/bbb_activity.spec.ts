// BigBlueButton activities: the admin registers the mock BBB server (it checks every checksum as
// bbb-web does), a teacher schedules an activity on it, joins and lands in the BBB client as a
// MODERATOR; a student of the course lands there as a VIEWER.
import { expect, test } from '@playwright/test';

import { ADMIN, DEMO_PASSWORD, hydrated, localTimeIn, login } from '../helpers/actions';

const BBB_API = `http://127.0.0.1:${process.env.MOCK_BBB_PORT || 18600}/bigbluebutton/api`;
const BBB_SECRET = process.env.MOCK_BBB_SECRET || 'e2e-bbb-shared-secret';

test('a teacher joins a BigBlueButton activity as moderator and a student as viewer', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Servers' }).click();
    await hydrated(page);
    const form = page.locator('form').filter({ has: page.getByLabel('Checksum algorithm') });
    await form.getByLabel('Name').fill('Campus BigBlueButton');
    await form.getByLabel('Address').fill(BBB_API);
    await form.getByLabel('Type').selectOption('bbb');
    await form.getByLabel('Shared secret').fill(BBB_SECRET);
    await form.getByLabel('Checksum algorithm').selectOption('sha512');
    await form.getByRole('button', { name: 'Save server' }).click();
    const row = page.getByTestId('servers-table').getByRole('row').filter({ hasText: 'Campus BigBlueButton' });
    await expect(row).toContainText('BigBlueButton');
    await row.getByRole('button', { name: 'Test' }).click();
    await expect(page.getByTestId('server-test')).toContainText('answered (version');
    await expect(page.locator('body')).not.toContainText(BBB_SECRET);

    // The teacher schedules a session on it in the demo course.
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: 'Physics 101' }).first().click();
    await hydrated(page);
    await page.getByRole('link', { name: 'Add a web conference' }).click();
    await hydrated(page);
    await page.getByLabel('Activity name').fill('Optics lab on BigBlueButton');
    await page.getByLabel('Opens').fill(await localTimeIn(page, -60));
    await page.getByLabel('Closes').fill(await localTimeIn(page, 3600));
    await page.getByLabel('Meeting server').selectOption({ label: 'Campus BigBlueButton' });
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    const link = page.getByRole('link', { name: 'Optics lab on BigBlueButton' });
    await expect(link).toBeVisible();
    const activityUrl = new URL((await link.getAttribute('href'))!, page.url()).toString();

    await link.click();
    await hydrated(page);
    await expect(page.getByText('This session runs on BigBlueButton')).toBeVisible();
    await page.getByTestId('join-button').click();
    await page.waitForURL(/\/bigbluebutton\/client/);
    await expect(page.getByTestId('bbb-role')).toHaveText('MODERATOR');
    await expect(page.getByTestId('bbb-user')).toHaveText('Tomás Teacher');
    const meeting = await page.getByTestId('bbb-meeting').innerText();
    expect(meeting).toMatch(/^[A-Za-z0-9]{40}$/);

    await login(page, 'student1@aula.test', DEMO_PASSWORD);
    await page.goto(activityUrl);
    await hydrated(page);
    await page.getByTestId('join-button').click();
    await page.waitForURL(/\/bigbluebutton\/client/);
    await expect(page.getByTestId('bbb-role')).toHaveText('VIEWER');
    await expect(page.getByTestId('bbb-meeting')).toHaveText(meeting);
    expect(errors).toEqual([]);
});
