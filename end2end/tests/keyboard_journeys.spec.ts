// The four journeys people must be able to do with the keyboard alone: log in, join a session,
// create an activity, open a report. After the first page load nothing is clicked: focus moves
// with Tab (and Shift+Tab), and Enter or Space acts. Every element focus lands on must show it
// (an outline or a ring on it or inside it), so keyboard users always see where they are.
import { expect, Page, test } from '@playwright/test';

import { DEMO_PASSWORD, hydrated } from '../helpers/actions';
import { DEMO } from '../helpers/site';

/** Describes the focused element: its accessible-ish name and whether the focus is visible. */
async function focused(page: Page) {
    return page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return { name: '', tag: 'body', visible: true };
        // WCAG relative luminance of an `rgb(...)` colour, and the contrast of two of them.
        const luminance = (css: string) => {
            const [r, g, b] = (css.match(/[\d.]+/g) || ['0', '0', '0']).slice(0, 3).map((v) => {
                const c = Number(v) / 255;
                return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const contrast = (a: string, b: string) => {
            const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
            return (x + 0.05) / (y + 0.05);
        };
        // The page's colour: the body's, or the root's when the body is transparent.
        const bg = (e: Element) => getComputedStyle(e).backgroundColor;
        const clear = (c: string) => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
        const page = clear(bg(document.body)) ? bg(document.documentElement) : bg(document.body);
        const shows = (e: Element) => {
            const s = getComputedStyle(e);
            // An outline must also stand out from the page behind it: 3:1 (WCAG 1.4.11).
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                && contrast(s.outlineColor, page) >= 3;
            const ring = s.boxShadow !== 'none' && s.boxShadow !== '';
            return outline || ring;
        };
        const visible = shows(el) || [...el.querySelectorAll('*')].some(shows);
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        const name = (el.getAttribute('aria-label') || label || el.textContent || '').trim().replace(/\s+/g, ' ');
        return { name, tag: el.tagName.toLowerCase(), visible };
    });
}

/** Presses Tab until the focused element's name matches; fails if focus is ever invisible. */
async function tabTo(page: Page, name: RegExp, max = 80) {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        seen.push(`${f.tag}:${f.name.slice(0, 40)}`);
        expect(f.visible, `focus on ${f.tag} "${f.name}" is not visible`).toBeTruthy();
        if (name.test(f.name)) return;
    }
    throw new Error(`Tab never reached ${name}; focus went through: ${seen.join(' | ')}`);
}

async function keyboardLogin(page: Page, email: string) {
    await page.context().clearCookies();
    await page.goto('/login');
    await hydrated(page);
    await tabTo(page, /^E-mail/);
    await page.keyboard.type(email);
    await tabTo(page, /^Password/);
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await hydrated(page);
    await expect(page.getByTestId('current-user')).toBeVisible();
}

/** Tabs to the link or button named `name`, presses Enter and waits for the next page. */
async function follow(page: Page, name: RegExp, max?: number) {
    await tabTo(page, name, max);
    await page.keyboard.press('Enter');
    await hydrated(page);
}

test('a student logs in and joins the open session with the keyboard alone', async ({ page }) => {
    await keyboardLogin(page, DEMO.student);
    await follow(page, /^Courses$/);
    await follow(page, /^Physics 101/);
    await follow(page, /^Live lecture: Newton's laws/);
    await tabTo(page, /^Join/);
    await page.keyboard.press('Enter');
    const frame = page.frameLocator('#meeting iframe');
    await expect(frame.getByTestId('room-name')).toBeVisible();
});

test('a teacher creates an activity and opens its report with the keyboard alone', async ({ page }) => {
    await keyboardLogin(page, DEMO.teacher);
    await follow(page, /^Courses$/);
    await follow(page, /^Physics 101/);
    await follow(page, /^Add a web conference/);
    const name = `Keyboard seminar ${Date.now().toString(36)}`;
    await tabTo(page, /^Activity name/);
    await page.keyboard.type(name);
    // The opening and closing times keep their defaults; Save is reached by Tab like the rest.
    await tabTo(page, /^Save$/, 120);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('link', { name })).toBeVisible();
    await hydrated(page);

    // The report of the session running now, reached from the course page.
    await follow(page, /^Live lecture: Newton's laws/);
    await follow(page, /^Attendance report/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Attendance');
    await expect(page.getByRole('table').first()).toBeVisible();
});
