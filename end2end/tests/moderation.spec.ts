// A self-hosted Jitsi with JWT: the admin registers it, the teacher moves the demo lecture onto it,
// the meeting frame receives a token whose claims match the user, and the moderator dashboard's
// actions reach the frame (the stand-in records every IFrame command) and the audit log.
import { expect, Frame, Page, test } from '@playwright/test';

import { ADMIN, DEMO_PASSWORD, hydrated, login } from '../helpers/actions';

const LECTURE = "Live lecture: Newton's laws";
// The stand-in again, under another name, so it can be registered as a second server.
const JWT_SERVER = `http://localhost:${process.env.STANDIN_PORT || 18443}`;

function claims(jwt: string): any {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

function standin(page: Page): Frame {
    const f = page.frames().find((f) => f.url().startsWith(JWT_SERVER));
    expect(f, 'the meeting frame').toBeTruthy();
    return f!;
}

async function joinLecture(page: Page, email: string) {
    await login(page, email, DEMO_PASSWORD);
    await page.getByRole('link', { name: LECTURE }).click();
    await hydrated(page);
    await page.getByTestId('join-button').click();
    await expect(page.frameLocator('#meeting iframe').getByTestId('status')).toHaveText('joined');
}

test('tokens carry the right role and the moderator dashboard drives the meeting', async ({ page, browser }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The admin registers the server: self-hosted Jitsi with JWT.
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Servers' }).click();
    await hydrated(page);
    const form = page.locator('form').filter({ has: page.getByLabel('App ID') });
    await form.getByLabel('Name').fill('Campus Jitsi');
    await form.getByLabel('Address').fill(JWT_SERVER);
    await form.getByLabel('Type').selectOption('jwt');
    await form.getByLabel('App ID').fill('aula');
    await form.getByLabel('Shared secret').fill('short');
    await form.getByRole('button', { name: 'Save server' }).click();
    await expect(form.locator('.field-error')).toContainText('16');
    await form.getByLabel('Shared secret').fill('a-long-shared-secret-for-prosody');
    await form.getByRole('button', { name: 'Save server' }).click();
    const row = page.getByTestId('servers-table').getByRole('row').filter({ hasText: 'Campus Jitsi' });
    await expect(row).toContainText('Self-hosted Jitsi with JWT');
    await row.getByRole('button', { name: 'Test' }).click();
    await expect(page.getByTestId('server-test')).toContainText('external_api.js loaded');
    await expect(page.locator('body')).not.toContainText('a-long-shared-secret-for-prosody');

    // The teacher moves the lecture onto it.
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: LECTURE }).click();
    await hydrated(page);
    await page.getByRole('link', { name: 'Edit' }).click();
    await hydrated(page);
    await page.getByLabel('Meeting server').selectOption({ label: 'Campus Jitsi' });
    await page.locator('main').getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.waitForURL(/\/courses\/\d+$/);

    // The teacher's frame gets an owner token for this room only.
    await joinLecture(page, 'teacher@aula.test');
    const frame = page.frameLocator('#meeting iframe');
    const room = await frame.getByTestId('room-name').innerText();
    const teacher = claims(await frame.getByTestId('jwt').innerText());
    expect(teacher.room).toBe(room.toLowerCase());
    expect(teacher.aud).toBe('jitsi');
    expect(teacher.iss).toBe('aula');
    expect(teacher.sub).toBe('localhost');
    expect(teacher.context.user).toMatchObject({ name: 'Tomás Teacher', affiliation: 'owner', moderator: 'true' });

    // The dashboard: someone joins, someone knocks; every action reaches the frame.
    const panel = page.getByTestId('moderator-panel');
    await expect(panel).toBeVisible();
    await standin(page).evaluate(() =>
        (window as any).__standin.emit('participant-joined', { id: 'abcd1234', displayName: 'Bob', userContext: { id: '5' } }),
    );
    const bob = panel.getByTestId('roster').getByRole('listitem').filter({ hasText: 'Bob' });
    await expect(bob).toBeVisible();
    // The token's user id maps Bob to his Aula account (the demo's first student).
    await expect(bob.getByTestId("aula-person")).toHaveText("Sam Student · Student");
    await bob.getByRole('button', { name: 'Mute' }).click();
    await bob.getByRole('button', { name: 'Make moderator' }).click();
    await expect(bob).toContainText('moderator');
    await panel.getByTestId('mute-everyone').click();
    await panel.getByRole('button', { name: 'Turn the lobby on' }).click();
    await expect(panel.getByRole('button', { name: 'Turn the lobby off' })).toBeVisible();
    await standin(page).evaluate(() =>
        (window as any).__standin.emit('knocking-participant', { participant: { id: 'k1', name: 'Kim' } }),
    );
    await panel.getByTestId('knocking').getByRole('button', { name: 'Admit' }).click();
    await panel.getByLabel('Room password').fill('s3cret');
    await panel.getByRole('button', { name: 'Set password' }).click();
    await bob.getByRole('button', { name: 'Remove' }).click();
    await expect(bob).toHaveCount(0);

    const commands = async () =>
        (await standin(page).evaluate(() => (window as any).__standin.record.commands)).map((c: any) => [c.name, c.data]);
    await expect.poll(commands).toEqual(
        expect.arrayContaining([
            ['mute-remote-participant', ['abcd1234', 'audio']],
            ['grant-moderator', ['abcd1234']],
            ['mute-everyone', ['audio']],
            ['toggle-lobby', [true]],
            ['answer-knocking-participant', ['k1', true]],
            ['password', ['s3cret']],
            ['kick-participant', ['abcd1234']],
        ]),
    );

    // The audit log has each action, with who did it.
    await panel.getByText('Moderator actions').click();
    const log = panel.getByTestId('moderation-log');
    await expect(log.getByRole('listitem')).toHaveCount(7);
    await expect(log).toContainText('Tomás Teacher: Remove — Bob');

    // A student on the same server gets a member token and no dashboard.
    const context = await browser.newContext();
    const student = await context.newPage();
    await joinLecture(student, 'student2@aula.test');
    const token = claims(await student.frameLocator('#meeting iframe').getByTestId('jwt').innerText());
    expect(token.context.user).toMatchObject({ name: 'Sofía Student', affiliation: 'member' });
    expect(token.context.user.moderator).toBeUndefined();
    await expect(student.getByTestId('moderator-panel')).toHaveCount(0);
    await context.close();

    // Ending the meeting for everyone asks first.
    page.once('dialog', (d) => d.accept());
    await panel.getByTestId('end-meeting').click();
    await expect.poll(commands).toContainEqual(['end-conference', []]);
    expect(errors).toEqual([]);
});
