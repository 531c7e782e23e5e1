// Attendance end to end: the stand-in Jitsi frame reports the conference joined, the page beats
// every 30 s, and the teacher's report shows the minutes. Time is moved on both sides instead of
// waited for: Playwright's clock in the browser, and Aula's test clock (POST /__test/clock) on
// the server, which credits only time it saw pass.
import * as fs from 'node:fs';

import { APIRequestContext, Browser, expect, Page, test } from '@playwright/test';

import { DEMO_PASSWORD, hydrated, login } from '../helpers/actions';

const LECTURE = "Live lecture: Newton's laws";

async function advanceServer(request: APIRequestContext, ms: number) {
    const res = await request.post('/__test/clock', {
        data: { ms },
        headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status()).toBe(200);
}

/** Joins the demo lecture with the browser clock installed, then (by default) pauses that clock,
 *  so heartbeats happen only when the test moves time. */
async function joinLecture(page: Page, email: string, pause = true) {
    await page.clock.install();
    await login(page, email, DEMO_PASSWORD);
    await page.getByRole('link', { name: LECTURE }).click();
    await hydrated(page);
    await page.getByTestId('join-button').click();
    await expect(page.frameLocator('#meeting iframe').getByTestId('status')).toHaveText('joined');
    await expect(page.getByTestId('attendance-status')).toHaveAttribute('data-state', 'counting');
    if (pause) {
        await page.clock.pauseAt(Date.now() + 1000);
    }
}

/** One heartbeat period on both clocks; every page in `pages` must have its beat acknowledged. */
async function period(request: APIRequestContext, pages: Page[], n: number) {
    await advanceServer(request, 30_000);
    await pages[0].clock.runFor(30_000);
    for (const p of pages) {
        await expect(p.getByTestId('attendance-status')).toHaveAttribute('data-acked', String(n));
    }
}

/** The minutes the teacher's report shows for `name` (opens a fresh teacher page). */
async function reportedMinutes(browser: Browser, name: string): Promise<{ minutes: number; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: LECTURE }).click();
    await hydrated(page);
    await page.getByRole('link', { name: 'Attendance report' }).click();
    await expect(page.getByRole('heading', { name: `Attendance: ${LECTURE}` })).toBeVisible();
    const row = page.getByTestId('attendance-table').getByRole('row').filter({ hasText: name });
    const minutes = Number(await row.getByTestId('minutes').innerText());
    return { minutes, page };
}

test('minutes in the meeting reach the report, presence and the CSV export', async ({ page, browser, request }) => {
    const before = (await reportedMinutes(browser, 'Sam Student')).minutes;
    await joinLecture(page, 'student1@aula.test');

    const N = 4;
    for (let i = 1; i <= 2 * N; i++) {
        await period(request, [page], i);
    }

    // The teacher sees Sam in the meeting now, on the activity's page.
    const teacher = await reportedMinutes(browser, 'Sam Student');
    expect(Math.abs(teacher.minutes - before - N)).toBeLessThanOrEqual(1);
    const presence = teacher.page.getByTestId('presence');
    await expect(presence.getByText('Sam Student')).toBeVisible();
    await expect(teacher.page.getByTestId('timeline').locator('rect.bar').first()).toBeVisible();
    await teacher.page.screenshot({ path: 'test-results/attendance-report.png', fullPage: true });

    // Leaving closes the interval: Sam drops out of live presence.
    await page.getByRole('button', { name: 'Leave' }).click();
    await expect(page.getByText('You left the meeting.')).toBeVisible();
    await expect(presence.getByText('Sam Student')).toHaveCount(0, { timeout: 20_000 });

    // The CSV download parses and holds Sam's minutes.
    const download = teacher.page.waitForEvent('download');
    await teacher.page.getByTestId('export-csv').click();
    const file = await (await download).path();
    const lines = fs.readFileSync(file!, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
    // Every field is quoted (so no name can start a formula or a new cell).
    const cells = (line: string) => line.slice(1, -1).split('","');
    expect(cells(lines[0])).toEqual([
        'Name', 'Email', 'Minutes', 'Credited from buffered beats', 'Completed', 'Completed at',
        'First join', 'Last leave', 'Sessions',
    ]);
    const sam = lines.find((l) => l.startsWith('"Sam Student",'));
    expect(sam).toBeTruthy();
    expect(Math.abs(Number(cells(sam!)[2]) - teacher.minutes)).toBeLessThanOrEqual(1);
    await teacher.page.context().close();
});

test('two tabs of one student count once', async ({ page, browser, request }) => {
    const before = (await reportedMinutes(browser, 'Sofía Student')).minutes;
    await joinLecture(page, 'student2@aula.test', false);
    const second = await page.context().newPage();
    await second.goto(page.url());
    await hydrated(second);
    await second.getByTestId('join-button').click();
    await expect(second.getByTestId('attendance-status')).toHaveAttribute('data-state', 'counting');
    // Both tabs share the context's clock.
    await page.clock.pauseAt(Date.now() + 1000);

    for (let i = 1; i <= 6; i++) {
        await period(request, [page, second], i);
    }
    const after = (await reportedMinutes(browser, 'Sofía Student')).minutes;
    expect(Math.abs(after - before - 3)).toBeLessThanOrEqual(1);
    await second.close();
});

test('going offline and coming back loses no minutes', async ({ page, browser, request }) => {
    const before = (await reportedMinutes(browser, 'Sam Student')).minutes;
    await joinLecture(page, 'student1@aula.test');
    await period(request, [page], 1);

    await page.context().setOffline(true);
    for (let i = 0; i < 6; i++) {
        await advanceServer(request, 30_000);
        await page.clock.runFor(30_000);
    }
    const status = page.getByTestId('attendance-status');
    await expect(status).toHaveAttribute('data-state', 'offline');
    await expect(status).toContainText('6 heartbeats');

    await page.context().setOffline(false);
    await expect(status).toHaveAttribute('data-acked', '7');
    const after = (await reportedMinutes(browser, 'Sam Student')).minutes;
    expect(Math.abs(after - before - 3.5)).toBeLessThanOrEqual(1);
});
