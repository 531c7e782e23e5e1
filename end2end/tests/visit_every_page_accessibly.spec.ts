// The accessibility gate: axe-core checks every page for every kind of visitor (signed out,
// student, teacher, admin, guest), and none may have a serious or critical violation. The same
// visits check that the Content-Security-Policy blocks nothing Aula itself needs. A new page is
// held to this by adding it to the list below.
import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';

import { DEMO_PASSWORD, login } from '../helpers/actions';
import { DEMO, discover, Site } from '../helpers/site';

type Visitor = 'signed out' | 'student' | 'teacher' | 'admin' | 'guest';

function pages(site: Site, who: Visitor): string[] {
    const a = site.open;
    const everyone = ['/login', '/this/does/not/exist'];
    const member = [
        '/',
        '/courses',
        `/courses/${site.course}`,
        ...site.activities.map((id) => `/activities/${id}`),
        `/activities/${a}/attendance`,
        `/activities/${a}/recordings`,
        '/profile',
        '/meetings',
        '/meetings/new',
    ];
    const teacher = [
        `/courses/${site.course}/activities/new`,
        `/courses/${site.course}/activities/${a}/edit`,
        `/courses/${site.course}/attendance`,
        `/activities/${a}/attendance/${site.student}`,
        ...(site.meeting ? [`/meetings/${site.meeting}/edit`, `/meetings/${site.meeting}/recordings`] : []),
    ];
    const admin = ['/admin/users', '/admin/servers', '/admin/live', '/admin/recording'];
    const meetingPage = site.publicId ? [`/m/${site.publicId}`] : [];
    switch (who) {
        case 'signed out':
            return [...everyone, `/guest/${site.guest}`, ...meetingPage];
        case 'guest':
            return [`/guest/${site.guest}`];
        case 'student':
            return [...everyone, ...member, ...meetingPage];
        case 'teacher':
            return [...member, ...teacher, ...meetingPage];
        case 'admin':
            return [...member, ...teacher, ...admin];
    }
}

async function signIn(page: Page, who: Visitor, site: Site) {
    await page.context().clearCookies();
    if (who === 'student') await login(page, DEMO.student, DEMO_PASSWORD);
    if (who === 'teacher') await login(page, DEMO.teacher, DEMO_PASSWORD);
    if (who === 'admin') await login(page, DEMO.admin, DEMO_PASSWORD);
    if (who === 'guest') {
        const res = await page.request.post('/api/guests/join', { form: { token: site.guest, name: 'Guest Visitor' } });
        expect(res.ok()).toBeTruthy();
    }
}

test('every page for every visitor has no serious accessibility violation and no blocked resource', async ({ page }) => {
    test.setTimeout(600_000);
    const site = await discover(page);
    const blocked: string[] = [];
    page.on('console', (m) => {
        if (m.text().includes('Content Security Policy')) blocked.push(`${page.url()}: ${m.text()}`);
    });
    const found: string[] = [];
    for (const who of ['signed out', 'student', 'teacher', 'admin', 'guest'] as Visitor[]) {
        await signIn(page, who, site);
        for (const path of pages(site, who)) {
            await page.goto(path);
            await page.waitForLoadState('networkidle');
            const results = await new AxeBuilder({ page })
                .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
                // The meeting frame is the stand-in Jitsi page, not Aula's.
                .exclude('#meeting iframe')
                .analyze();
            for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
                found.push(`${who} ${path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
            }
        }
    }
    expect(found, found.join('\n')).toEqual([]);
    expect(blocked, blocked.join('\n')).toEqual([]);
});
