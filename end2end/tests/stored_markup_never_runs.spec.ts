// Stored markup never runs in a browser: payloads go into names, descriptions, labels and
// welcome messages through the server functions, then every page that shows them is opened as
// the teacher, a student and the admin. A payload that ran would open a dialog (alert) or report
// a blocked inline script; neither may happen. (The integration test `payload_sweep` checks the
// same pages' HTML for every field and payload.)
import { expect, test } from '@playwright/test';

import { ADMIN, hydrated, login } from '../helpers/actions';
import { call } from '../helpers/site';

const PAYLOADS = [
    "</textarea><img src=x onerror=alert('XSS1')>",
    "</title><script>alert('XSS2')</script>",
    '" onmouseover="alert(\'XSS4\')" autofocus onfocus="alert(\'XSS4\')" x="',
    "<svg onload=alert('XSS7')>",
    "<ScRiPt>alert('XSS8')</sCrIpT>",
];
const PASSWORD = 'markup-check-password';

test('no page runs markup stored in a field, for the teacher, a student or the admin', async ({ page }) => {
    test.setTimeout(300_000);
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
        dialogs.push(`${page.url()}: ${d.message()}`);
        await d.dismiss();
    });
    const p = PAYLOADS.join(' ');
    await login(page, ADMIN.email, ADMIN.password);
    const suffix = Date.now();
    const teacher = `markup-teacher-${suffix}@e2e.test`;
    const student = `markup-student-${suffix}@e2e.test`;
    for (const [email, name] of [[teacher, PAYLOADS[0]], [student, PAYLOADS[3]]]) {
        await call(page, 'admin/users/create', { email, display_name: name, password: PASSWORD });
    }
    const course = String(await call(page, 'courses/create', {
        name: PAYLOADS[1], short_name: `MK${suffix}`.slice(0, 12), description: p.slice(0, 900),
    }));
    await call(page, 'courses/enrol', { course_id: course, email: teacher, role: 'editingteacher' });
    await call(page, 'courses/enrol', { course_id: course, email: student, role: 'student' });

    await login(page, teacher, PASSWORD);
    const opens = await page.evaluate(() => {
        const at = (s: number) => {
            const d = new Date(Date.now() + s * 1000);
            const q = (n: number) => String(n).padStart(2, '0');
            return `${d.getFullYear()}-${q(d.getMonth() + 1)}-${q(d.getDate())}T${q(d.getHours())}:${q(d.getMinutes())}`;
        };
        return [at(-60), at(3600), at(86_400)];
    });
    const activity = String(await call(page, 'activities/create', {
        course_id: course, name: PAYLOADS[2], description: p, opens_at: opens[0], closes_at: opens[1],
        early_entry_minutes: '0', completion_minutes: '', server_id: '1',
    }));
    await call(page, 'guests/create', { activity_id: activity, label: PAYLOADS[4], expires_at: opens[2], max_uses: '' });
    const blank = await call(page, 'meetings/form', {});
    let meeting: string | null = null;
    if (blank.servers.length > 0) {
        meeting = String(await call(page, 'meetings/create', {
            name: PAYLOADS[4], welcome: p, starts_at: opens[2], duration_minutes: '60', access: 'link',
            server_id: String(blank.servers[0].id),
        }));
    }
    const shows = [
        '/', '/courses', `/courses/${course}`, `/activities/${activity}`,
        `/courses/${course}/activities/${activity}/edit`, `/activities/${activity}/attendance`,
        `/courses/${course}/attendance`, '/meetings', ...(meeting ? [`/meetings/${meeting}/edit`] : []),
    ];
    for (const [email, password] of [[teacher, PASSWORD], [student, PASSWORD], [ADMIN.email, ADMIN.password]]) {
        await login(page, email, password);
        for (const path of shows) {
            await page.goto(path);
            await page.waitForLoadState('networkidle');
            // Hover and focus everything a break-out could have hooked into.
            await page.mouse.move(200, 200);
            await page.keyboard.press('Tab');
        }
    }
    // A hydrated edit page still shows the description exactly, in its box.
    await login(page, teacher, PASSWORD);
    await page.goto(`/courses/${course}/activities/${activity}/edit`);
    await hydrated(page);
    await expect(page.locator('#f-description')).toHaveValue(p);
    expect(dialogs, dialogs.join('\n')).toEqual([]);
});
