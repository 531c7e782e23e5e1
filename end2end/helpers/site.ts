// Finds the demo site's ids and makes what the page-by-page specs need, through the same server
// functions the pages call (the browser context's cookies are the caller's session).
import { expect, Page } from '@playwright/test';

import { ADMIN, DEMO_PASSWORD, login } from './actions';

export const DEMO = {
    student: 'student1@aula.test',
    teacher: 'teacher@aula.test',
    admin: 'admin@aula.test',
};

/** POSTs a server function as the page's user; returns the JSON answer. */
export async function call(page: Page, endpoint: string, form: Record<string, string>) {
    const res = await page.request.post(`/api/${endpoint}`, { form });
    expect(res.ok(), `${endpoint}: ${res.status()} ${await res.text()}`).toBeTruthy();
    return res.json();
}

export interface Site {
    course: string;
    activities: string[];
    open: string;
    student: string;
    guest: string;
    meeting?: string;
    publicId?: string;
}

/** The demo course, its activities, a student's id, a guest link and (if a BigBlueButton server
 * is registered) a meeting of the teacher's. */
export async function discover(page: Page): Promise<Site> {
    await login(page, DEMO.teacher, DEMO_PASSWORD);
    await page.goto('/courses');
    const courseHref = await page.getByRole('link', { name: 'Physics 101' }).first().getAttribute('href');
    const course = courseHref!.match(/\/courses\/(\d+)/)![1];
    await page.goto(`/courses/${course}`);
    const hrefs = await page.locator('a[href^="/activities/"]').evaluateAll((as) =>
        as.map((a) => a.getAttribute('href')!),
    );
    const activities = [...new Set(hrefs.map((h) => h.match(/^\/activities\/(\d+)$/)?.[1]).filter(Boolean))] as string[];
    const openHref = await page.getByRole('link', { name: "Live lecture: Newton's laws" }).first().getAttribute('href');
    const open = openHref!.match(/(\d+)/)![1];
    const report = await call(page, 'attendance/activity', { activity_id: open });
    const student = String(report.rows.find((r: { user_id: number }) => r.user_id > 0).user_id);
    const until = await page.evaluate(() => {
        const d = new Date(Date.now() + 86_400_000);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:00`;
    });
    await call(page, 'guests/create', { activity_id: open, label: 'Accessibility check', expires_at: until, max_uses: '' });
    const links = await call(page, 'guests/links', { activity_id: open });
    const guest = links[0].url.split('/').pop();
    const site: Site = { course, activities, open, student, guest };
    const blank = await call(page, 'meetings/form', {});
    if (blank.servers.length > 0) {
        const id = await call(page, 'meetings/create', {
            name: 'Office hours',
            welcome: 'Welcome!',
            starts_at: until,
            duration_minutes: '60',
            access: 'link',
            server_id: String(blank.servers[0].id),
        });
        site.meeting = String(id);
        const form = await call(page, 'meetings/form', { meeting_id: site.meeting });
        site.publicId = form.public_id;
    }
    return site;
}

export const ADMIN_LOGIN = ADMIN;
