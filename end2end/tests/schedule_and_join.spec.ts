// The whole journey: an admin sets up a course, a teacher schedules a session, a student waits
// for the countdown and joins; outsiders are refused.
import { expect, test } from '@playwright/test';

import { ADMIN, hydrated, localTimeIn, login } from '../helpers/actions';

const PW = 'journey-password-1';
const stamp = Date.now().toString(36);
const teacher = { email: `teacher-${stamp}@e2e.test`, name: 'Teresa Teacher' };
const student = { email: `student-${stamp}@e2e.test`, name: 'Stefan Student' };
const outsider = { email: `outsider-${stamp}@e2e.test`, name: 'Otto Outsider' };
const course = { name: `Chemistry ${stamp}`, short: `CHEM-${stamp}` };

test('admin sets up, teacher schedules, student counts down and joins', async ({ page }) => {
    // Admin: users, course, enrolments.
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Users' }).click();
    await hydrated(page);
    for (const u of [teacher, student, outsider]) {
        const form = page.locator('form', { has: page.getByRole('button', { name: 'Create user' }) });
        await form.getByLabel('E-mail').fill(u.email);
        await form.getByLabel('Display name').fill(u.name);
        await form.getByLabel('Password').fill(PW);
        await form.getByRole('button', { name: 'Create user' }).click();
        await expect(page.getByRole('cell', { name: u.email })).toBeVisible();
    }
    await page.getByRole('link', { name: 'Courses' }).click();
    await hydrated(page);
    await page.getByLabel('Course name').fill(course.name);
    await page.getByLabel('Short name').fill(course.short);
    await page.getByRole('button', { name: 'Create course' }).click();
    await expect(page.getByRole('heading', { level: 1, name: course.name })).toBeVisible();
    await hydrated(page);
    const enrol = page.locator('form', { has: page.getByRole('button', { name: 'Enrol' }) });
    await enrol.getByLabel('E-mail').fill(teacher.email);
    await enrol.getByLabel('Role').selectOption('editingteacher');
    await enrol.getByRole('button', { name: 'Enrol' }).click();
    await expect(page.getByRole('cell', { name: teacher.email })).toBeVisible();
    await enrol.getByLabel('E-mail').fill(student.email);
    await enrol.getByLabel('Role').selectOption('student');
    await enrol.getByRole('button', { name: 'Enrol' }).click();
    await expect(page.getByRole('cell', { name: student.email })).toBeVisible();
    const courseUrl = page.url();

    // Teacher: schedule a session that opens in 25 seconds.
    await login(page, teacher.email, PW);
    await page.goto(courseUrl);
    await hydrated(page);
    await page.getByRole('link', { name: 'Add a web conference' }).click();
    await hydrated(page);
    await page.getByLabel('Activity name').fill('Titration lab briefing');
    await page.getByLabel('Opens').fill(await localTimeIn(page, 25));
    await page.getByLabel('Closes').fill(await localTimeIn(page, 3600));
    // A closing time before the opening is refused next to the field, and nothing is lost.
    const closes = await localTimeIn(page, 3600);
    await page.getByLabel('Closes').fill(await localTimeIn(page, -3600));
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('The closing time must be after the opening time.')).toBeVisible();
    await expect(page.getByLabel('Activity name')).toHaveValue('Titration lab briefing');
    await page.getByLabel('Opens').fill(await localTimeIn(page, 25));
    await page.getByLabel('Closes').fill(closes);
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(courseUrl);
    const link = page.getByRole('link', { name: 'Titration lab briefing' });
    await expect(link).toBeVisible();
    const activityUrl = new URL((await link.getAttribute('href'))!, page.url()).toString();

    // Outsider: no access to the page.
    await login(page, outsider.email, PW);
    const refused = await page.goto(activityUrl);
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible();

    // Student: a picture for the meeting, then the countdown, then the meeting.
    await login(page, student.email, PW);
    await page.getByRole('link', { name: 'Profile' }).click();
    await hydrated(page);
    await page.getByLabel('Picture URL (instead of an upload)').fill('https://images.example.org/stefan.png');
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('img', { name: 'Your picture' })).toBeVisible();
    await page.goto(activityUrl);
    await hydrated(page);
    const countdown = page.getByTestId('countdown');
    await expect(countdown).toBeVisible();
    const first = await countdown.innerText();
    await expect(countdown).not.toHaveText(first, { timeout: 5_000 });
    await expect(page.getByTestId('join-button')).toBeVisible({ timeout: 45_000 });
    await page.getByTestId('join-button').click();
    const frame = page.frameLocator('#meeting iframe');
    await expect(frame.getByTestId('room-name')).toHaveText(/^titration-lab-briefing-[a-z0-9]{10}$/);
    await expect(frame.getByTestId('display-name')).toHaveText(student.name);
    await expect(frame.getByTestId('avatar-url')).toHaveText('https://images.example.org/stefan.png');
});
