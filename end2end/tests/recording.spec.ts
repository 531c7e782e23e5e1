// Record and stream: an admin connects a YouTube account through Google's consent screen (the
// stand-in's fake Google), a teacher flips the switch beside the meeting and the frame is told to
// stream with the stream key the fake YouTube issued; flipping it off stops the stream, and the
// recording appears in the activity's recordings tab, where the teacher renames, hides and
// deletes it. A student sees the recording but never the switch.
import { APIRequestContext, expect, Frame, Page, test } from '@playwright/test';

import { ADMIN, DEMO_PASSWORD, hydrated, login, STANDIN } from '../helpers/actions';

const LECTURE = "Live lecture: Newton's laws";
const GOOGLE = `${STANDIN}/__google`;

async function meetingFrame(page: Page): Promise<Frame> {
    const handle = await page.locator('#meeting iframe').elementHandle();
    const frame = await handle!.contentFrame();
    expect(frame, 'the meeting frame').toBeTruthy();
    return frame!;
}

async function joinLecture(page: Page, email: string) {
    await login(page, email, DEMO_PASSWORD);
    await page.getByRole('link', { name: LECTURE }).click();
    await hydrated(page);
    await page.getByTestId('join-button').click();
    await expect(page.frameLocator('#meeting iframe').getByTestId('status')).toHaveText('joined');
}

async function commands(page: Page): Promise<[string, any][]> {
    const f = await meetingFrame(page);
    return (await f.evaluate(() => (window as any).__standin.record.commands)).map((c: any) => [c.name, c.data]);
}

async function youtubeCalls(request: APIRequestContext): Promise<string[]> {
    const calls = await (await request.get(`${GOOGLE}/__calls`)).json();
    return calls.filter((c: any) => c.path.includes('/youtube/v3/')).map((c: any) => `${c.method} ${c.path.replace(/^.*\/youtube\/v3/, '')}`);
}

async function video(request: APIRequestContext, id: string): Promise<any> {
    const videos = await (await request.get(`${GOOGLE}/__videos`)).json();
    return Array.isArray(videos) ? videos.find((v: any) => v.id === id) : videos[id];
}

test('a teacher streams to YouTube and the recording is published, renamed, hidden and deleted', async ({ page, browser, request }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await request.post(`${GOOGLE}/__reset`);

    // The admin enters the OAuth client and connects an account through Google's consent screen.
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Recording', exact: true }).click();
    await hydrated(page);
    const settings = page.getByTestId('recording-settings');
    await settings.getByLabel('Client ID').fill('aula-e2e.apps.googleusercontent.com');
    await settings.getByLabel('Client secret').fill('e2e-client-secret');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings.getByText('Saved.')).toBeVisible();
    await page.reload();
    await hydrated(page);
    await expect(page.locator('body')).not.toContainText('e2e-client-secret');
    await expect(page.getByText('A secret is stored.')).toBeVisible();
    await page.getByLabel('Account name').fill('Faculty channel');
    await page.getByRole('button', { name: 'Connect a YouTube account' }).click();
    await page.waitForURL(/\/admin\/recording\?oauth=added/);
    await hydrated(page);
    await expect(page.getByTestId('oauth-outcome')).toHaveText('The account is connected.');
    const account = page.getByTestId('youtube-accounts').getByRole('row').filter({ hasText: 'Faculty channel' });
    await expect(account).toContainText('In use');
    await expect(account).toContainText('Connected');
    await page.screenshot({ path: 'test-results/admin-recording.png', fullPage: true });

    // The teacher flips the switch: broadcast, stream and bind on YouTube, then the frame streams.
    await joinLecture(page, 'teacher@aula.test');
    const toggle = page.getByRole('switch', { name: 'Record and stream' });
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('record-status')).toContainText('Streaming to YouTube');
    expect(await youtubeCalls(request)).toEqual([
        'POST /liveBroadcasts',
        'POST /liveStreams',
        'POST /liveBroadcasts/bind',
    ]);
    await expect.poll(async () => (await commands(page)).filter(([n]) => n === 'start-recording').length).toBe(1);
    const [, [options]] = (await commands(page)).find(([n]) => n === 'start-recording')!;
    expect(options.mode).toBe('stream');
    expect(options.youtubeStreamKey).toMatch(/^key-\d+-/);
    const broadcast: string = options.youtubeBroadcastID;
    expect(broadcast).toMatch(/^bc-\d+$/);
    await page.screenshot({ path: 'test-results/record-switch.png', fullPage: true });

    // Off: the frame stops the stream and the video becomes embeddable, its status otherwise kept.
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect.poll(async () => commands(page)).toContainEqual(['stop-recording', ['stream']]);
    await expect.poll(async () => (await video(request, broadcast))?.status?.embeddable).toBe(true);
    expect((await video(request, broadcast)).status.privacyStatus).toBe('unlisted');

    // The meeting ending a stream on its own turns the switch off too.
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    const frame = await meetingFrame(page);
    await frame.evaluate(() => (window as any).__standin.emit('recording-status-changed', { on: false, mode: 'stream' }));
    await expect(toggle).toHaveAttribute('aria-checked', 'false');

    // A student sees the recordings, never the switch.
    const context = await browser.newContext();
    const student = await context.newPage();
    await joinLecture(student, 'student1@aula.test');
    await expect(student.getByTestId('record-panel')).toHaveCount(0);
    await student.getByRole('link', { name: 'Recordings' }).click();
    await hydrated(student);
    await expect(student.getByTestId('recordings').getByRole('listitem')).toHaveCount(2);
    await expect(student.getByRole('button', { name: 'Rename' })).toHaveCount(0);

    // The teacher renames (on YouTube too), hides and deletes from the recordings tab.
    await page.getByRole('link', { name: 'Recordings' }).click();
    await hydrated(page);
    const items = page.getByTestId('recordings').getByRole('listitem');
    await expect(items).toHaveCount(2);
    const first = items.filter({ has: page.locator(`iframe[src$="/${broadcast}"]`) });
    await expect(first).toHaveCount(1);
    await first.getByRole('textbox', { name: 'Title' }).fill('Week 1: Newton');
    await first.getByRole('button', { name: 'Rename' }).click();
    await expect(first.getByRole('heading', { name: 'Week 1: Newton' })).toBeVisible();
    await expect.poll(async () => (await video(request, broadcast))?.snippet?.title).toBe('Week 1: Newton');
    await page.screenshot({ path: 'test-results/recordings-tab.png', fullPage: true });

    await first.getByRole('button', { name: 'Hide' }).click();
    await expect(first).toContainText('Hidden from students');
    await student.reload();
    await hydrated(student);
    await expect(student.getByTestId('recordings').getByRole('listitem')).toHaveCount(1);
    await expect(student.getByText('Week 1: Newton')).toHaveCount(0);

    await first.getByRole('button', { name: 'Delete', exact: true }).click();
    await first.getByRole('button', { name: 'Confirm delete' }).click();
    await expect(items).toHaveCount(1);
    await expect.poll(async () => (await video(request, broadcast))?.status?.privacyStatus).toBe('private');
    await context.close();

    // The admin finds it in the deletion queue.
    await login(page, ADMIN.email, ADMIN.password);
    await page.goto('/admin/recording');
    await hydrated(page);
    await expect(page.getByTestId('deletion-queue')).toContainText('Week 1: Newton');
    await expect(page.getByTestId('recording-audit')).toContainText('recording.delete');
    expect(errors).toEqual([]);
});
