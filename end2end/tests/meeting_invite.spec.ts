// A meeting outside courses, invited to by e-mail: a teacher creates a weekly meeting on the mock
// BigBlueButton server, invites a guest from the meeting's edit page, and the invitation reaches a
// real SMTP server on loopback with the meeting's link and a calendar file of the weekly series.
import { expect, test } from '@playwright/test';

import { ADMIN, DEMO_PASSWORD, hydrated, login } from '../helpers/actions';
import { SmtpSink, startSmtpSink } from '../helpers/smtp_sink';

const BBB_API = `http://127.0.0.1:${process.env.MOCK_BBB_PORT || 18600}/bigbluebutton/api`;
const BBB_SECRET = process.env.MOCK_BBB_SECRET || 'e2e-bbb-shared-secret';
const SERVER = 'Invite BBB';
const GUEST = 'guest.person@example.org';

let sink: SmtpSink;

test.beforeAll(async () => {
    sink = await startSmtpSink();
});

test.afterAll(() => {
    sink?.stop();
});

test('a user creates a weekly meeting and invites someone, whose e-mail carries the link and the series', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const name = `Weekly tutorial ${Date.now()}`;

    // The mock BBB, unless another journey already registered it (an address is registered once).
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Servers' }).click();
    await hydrated(page);
    // The table loads after the page: count its rows only once it is there.
    await expect(page.getByTestId('servers-table')).toBeVisible();
    const rows = page.getByTestId('servers-table').getByRole('row').filter({ hasText: 'BigBlueButton' });
    if ((await rows.count()) === 0) {
        const form = page.locator('form').filter({ has: page.getByLabel('Checksum algorithm') });
        await form.getByLabel('Name').fill(SERVER);
        await form.getByLabel('Address').fill(BBB_API);
        await form.getByLabel('Type').selectOption('bbb');
        await form.getByLabel('Shared secret').fill(BBB_SECRET);
        await form.getByLabel('Checksum algorithm').selectOption('sha256');
        await form.getByRole('button', { name: 'Save server' }).click();
        await expect(rows).toHaveCount(1);
    }

    // The teacher creates a weekly meeting (the form starts at the next full hour, on its weekday).
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await hydrated(page);
    await page.getByTestId('new-meeting').click();
    await hydrated(page);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Repeats', { exact: true }).selectOption('weekly');
    await expect(page.getByTestId('recurrence')).toBeVisible();
    // Meetings run on BigBlueButton only: the form offers just those servers, the first by default.
    await expect(page.getByLabel('Server', { exact: true }).locator('option').first()).toBeAttached();
    await page.getByTestId('save-meeting').click();
    await page.waitForURL((url) => url.pathname === '/meetings');
    await hydrated(page);
    const row = page.getByTestId('meeting-row').filter({ hasText: name });
    await expect(row).toContainText('Recurring');

    // On its edit page, the invite panel sends one invitation.
    await row.getByRole('link', { name: 'Edit' }).click();
    await hydrated(page);
    const link = await page.locator('#form-url').inputValue();
    expect(link).toMatch(/\/m\/[A-Za-z0-9]{16}$/);
    const panel = page.getByTestId('invite-panel');
    await expect(panel.getByTestId('code-note')).toHaveText(/This meeting has no access code/);
    await panel.getByLabel('E-mail addresses').fill(GUEST);
    await panel.getByRole('button', { name: 'Send invitations' }).click();
    await expect(panel.getByTestId('invite-outcome')).toContainText('Invitations sent: 1');
    await expect(panel.getByTestId('invite-result')).toHaveAttribute('data-status', 'sent');
    await expect(panel.getByTestId('invitation-row')).toContainText(GUEST);

    // The e-mail as the SMTP server received it.
    const subject = `Invitation: ${name}`;
    await expect.poll(() => sink.mails.find((m) => m.subject === subject), { timeout: 15_000 }).toBeTruthy();
    const mail = sink.mails.find((m) => m.subject === subject)!;
    expect(mail.to).toEqual([GUEST]);
    expect(mail.body).toContain('Tomás Teacher invites you to the meeting');
    expect(mail.body).toContain(link);
    expect(mail.body).toContain('Repeats: Weekly on');
    const ics = mail.ics.replace(/\r\n /g, '');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toMatch(/RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=[A-Z]{2};WKST=MO;COUNT=10/);
    expect(ics).toContain(`URL:${link}`);
    expect(ics).toContain(`ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${GUEST}`);
    expect(errors).toEqual([]);
});
