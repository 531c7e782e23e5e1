// BigBlueButton recordings: a teacher's activity meets on the mock BBB; the test seeds a
// recording there and has the mock fire BBB's signed recording-ready callback at Aula. The
// teacher is e-mailed (a real SMTP server on loopback receives it), the recording appears in the
// activity's recordings tab with its playback links and preview, the teacher renames it (the name
// is stored on BBB), and a student sees it without the teacher's actions.
import { expect, test } from '@playwright/test';

import { ADMIN, DEMO_PASSWORD, hydrated, localTimeIn, login } from '../helpers/actions';
import { SmtpSink, startSmtpSink } from '../helpers/smtp_sink';

const MOCK_PORT = process.env.MOCK_BBB_PORT || 18600;
const MOCK = `http://127.0.0.1:${MOCK_PORT}`;
const BBB_SECRET = process.env.MOCK_BBB_SECRET || 'e2e-bbb-shared-secret';

// The SMTP server Aula sends to (end2end/start-aula.sh).
let sink: SmtpSink;

test.beforeAll(async () => {
    sink = await startSmtpSink();
});

test.afterAll(() => {
    sink?.stop();
});

test('a recording BigBlueButton announces is e-mailed to the teacher and listed with its playback links', async ({ page, request }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // An admin registers the mock BBB under a name and address of this journey's own (addresses
    // are unique in the registry, and another journey may have registered 127.0.0.1 already).
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Servers' }).click();
    await hydrated(page);
    const form = page.locator('form').filter({ has: page.getByLabel('Checksum algorithm') });
    await form.getByLabel('Name').fill('Recording BigBlueButton');
    await form.getByLabel('Address').fill(`http://localhost:${MOCK_PORT}/bigbluebutton/api`);
    await form.getByLabel('Type').selectOption('bbb');
    await form.getByLabel('Shared secret').fill(BBB_SECRET);
    await form.getByLabel('Checksum algorithm').selectOption('sha256');
    await form.getByRole('button', { name: 'Save server' }).click();
    await expect(page.getByTestId('servers-table').getByRole('row').filter({ hasText: 'Recording BigBlueButton' })).toBeVisible();

    // The teacher schedules a lab on it and starts the meeting.
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('link', { name: 'Physics 101' }).first().click();
    await hydrated(page);
    await page.getByRole('link', { name: 'Add a web conference' }).click();
    await hydrated(page);
    await page.getByLabel('Activity name').fill('Lenses lab (recorded)');
    await page.getByLabel('Opens').fill(await localTimeIn(page, -60));
    await page.getByLabel('Closes').fill(await localTimeIn(page, 3600));
    await page.getByLabel('Meeting server').selectOption({ label: 'Recording BigBlueButton' });
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    const link = page.getByRole('link', { name: 'Lenses lab (recorded)' });
    await expect(link).toBeVisible();
    const activityUrl = new URL((await link.getAttribute('href'))!, page.url()).toString();
    await link.click();
    await hydrated(page);
    await page.getByTestId('join-button').click();
    await page.waitForURL(/\/bigbluebutton\/client/);
    const meeting = await page.getByTestId('bbb-meeting').innerText();

    // BBB finishes processing a recording and calls Aula back, signed with the shared secret.
    const presentation = `${MOCK}/playback/presentation/2.3/lenses-week-1`;
    const video = `${MOCK}/playback/video/lenses-week-1/video.mp4`;
    const preview = `${MOCK}/previews/lenses-week-1/slide-1.png`;
    const seeded = await request.post(`${MOCK}/__mock/recordings`, {
        data: {
            meeting_id: meeting,
            name: 'Lenses, week 1',
            playback: [
                { type: 'presentation', url: presentation, length_minutes: 42, previews: [preview] },
                { type: 'video', url: video, length_minutes: 42 },
            ],
        },
    });
    expect(seeded.status()).toBe(201);
    const recordId: string = (await seeded.json()).record_id;
    const ready = await request.post(`${MOCK}/__mock/recordings/${recordId}/notify-ready`);
    expect(await ready.json()).toEqual({ status: 200 });

    // The teacher's e-mail names the recording and links to the recordings tab.
    await expect.poll(() => sink.mails.find((m) => m.subject.includes('Lenses, week 1')), { timeout: 15_000 }).toBeTruthy();
    const mail = sink.mails.find((m) => m.subject.includes('Lenses, week 1'))!;
    expect(mail.to).toContain('teacher@aula.test');
    expect(mail.to).not.toContain('student1@aula.test');
    expect(mail.body).toContain(`${activityUrl}/recordings`);
    expect(mail.body).not.toContain(BBB_SECRET);

    await page.goto(`${activityUrl}/recordings`);
    await hydrated(page);
    const section = page.getByTestId('bbb-recordings');
    await expect(section.getByRole('heading', { name: 'BigBlueButton recordings' })).toBeVisible();
    const item = section.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Lenses, week 1' }) });
    await expect(item.getByRole('link', { name: 'Presentation' })).toHaveAttribute('href', presentation);
    await expect(item.getByRole('link', { name: 'Video' })).toHaveAttribute('href', video);
    await expect(item.getByRole('img', { name: 'slide' })).toHaveAttribute('src', preview);
    await expect(item).toContainText('42 min');
    await page.screenshot({ path: 'test-results/bbb-recordings-tab.png', fullPage: true });

    // The teacher renames it: the name is stored on BBB and shown from there.
    await item.getByLabel('Recording name').fill('Lenses and mirrors');
    await item.getByRole('button', { name: 'Rename' }).click();
    await expect(section.getByRole('heading', { name: 'Lenses and mirrors' })).toBeVisible();
    const stored = await (await request.get(`${MOCK}/__mock/recordings`)).json();
    expect(stored.find((r: any) => r.record_id === recordId).meta.name).toBe('Lenses and mirrors');

    // A student of the course watches it, without the teacher's actions.
    await login(page, 'student1@aula.test', DEMO_PASSWORD);
    await page.goto(`${activityUrl}/recordings`);
    await hydrated(page);
    const seen = page.getByTestId('bbb-recordings');
    await expect(seen.getByRole('heading', { name: 'Lenses and mirrors' })).toBeVisible();
    await expect(seen.getByRole('link', { name: 'Presentation' })).toHaveAttribute('href', presentation);
    await expect(seen.getByRole('button', { name: 'Rename' })).toHaveCount(0);
    await expect(seen.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    expect(errors).toEqual([]);
});
