// A student of the demo course joins the open demo activity; the stand-in meeting frame receives
// the server-derived room, the student's name and e-mail.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, hydrated, login, STANDIN } from '../helpers/actions';

test('a demo student joins the open lecture and the meeting gets the right room and name', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'student1@aula.test', DEMO_PASSWORD);

    const session = page.getByRole('link', { name: "Live lecture: Newton's laws" });
    await expect(session).toBeVisible();
    await session.click();
    await hydrated(page);
    await expect(page.getByRole('heading', { name: "Live lecture: Newton's laws" })).toBeVisible();

    await page.getByTestId('join-button').click();
    const frame = page.frameLocator('#meeting iframe');
    await expect(frame.getByTestId('room-name')).toHaveText(/^live-lecture-newton-s-laws-[a-z0-9]{10}$/);
    await expect(frame.getByTestId('display-name')).toHaveText('Sam Student');
    await expect(frame.getByTestId('email')).toHaveText('student1@aula.test');
    await expect(page.getByText('You are in the meeting.')).toBeVisible();

    // The stand-in recorded the commands Aula sent after videoConferenceJoined.
    const room = await frame.getByTestId('room-name').innerText();
    await expect
        .poll(async () => (await (await fetch(`${STANDIN}/__records/${room}`)).json()).commands?.map((c: any) => c.name))
        .toContain('display-name');

    // Leaving disposes of the frame.
    await page.getByRole('button', { name: 'Leave' }).click();
    await expect(page.locator('#meeting iframe')).toHaveCount(0);
    await expect(page.getByText('You left the meeting.')).toBeVisible();
    expect(errors).toEqual([]);
});

test('the join page is rendered on the server before any script runs', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('E-mail').fill('student2@aula.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.goto('/');
    await page.getByRole('link', { name: 'Problem class: oscillations' }).click();
    await expect(page.getByRole('heading', { name: 'Problem class: oscillations' })).toBeVisible();
    await expect(page.getByTestId('countdown')).toHaveText(/\d{2}:\d{2}/);
    await context.close();
});

test('opened directly, the join page hydrates only its island from the lean build and the student still joins', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const wasm: string[] = [];
    page.on('request', (r) => {
        if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
    });
    await login(page, 'student1@aula.test', DEMO_PASSWORD);
    const href = await page.getByRole('link', { name: "Live lecture: Newton's laws" }).getAttribute('href');
    wasm.length = 0;
    await page.goto(href!);
    await hydrated(page);

    // One island for the meeting; a student gets neither the presence nor the guest-link island.
    await expect(page.locator('leptos-island')).toHaveCount(1);
    await expect(page.locator('leptos-island')).toHaveAttribute('data-component', /MeetingPanel/);
    // The page's static parts are plain server HTML, and a student, who may neither moderate nor
    // record, gets the lean build: one wasm file holding the meeting panel, not the whole app.
    expect(wasm).toEqual(['/pkg/aula_lean_bg.wasm']);

    await page.getByTestId('join-button').click();
    const frame = page.frameLocator('#meeting iframe');
    await expect(frame.getByTestId('display-name')).toHaveText('Sam Student');
    await expect(page.getByText('You are in the meeting.')).toBeVisible();
    await page.getByRole('button', { name: 'Leave' }).click();
    await expect(page.getByText('You left the meeting.')).toBeVisible();

    // Links out of an island page are ordinary page loads into the fully hydrated app.
    await page.getByRole('link', { name: 'Physics 101' }).first().click();
    await hydrated(page);
    await expect(page.getByRole('heading', { name: /Physics 101/ })).toBeVisible();
    expect(wasm).toContain('/pkg/aula.wasm');
    expect(wasm.some((p) => p.includes('hydrate_app'))).toBe(true);
    expect(errors).toEqual([]);
});

test('a teacher opening the join page directly gets the full build and all three islands', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const wasm: string[] = [];
    page.on('request', (r) => {
        if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
    });
    await login(page, 'teacher@aula.test', DEMO_PASSWORD);
    const href = await page.getByRole('link', { name: "Live lecture: Newton's laws" }).getAttribute('href');
    wasm.length = 0;
    await page.goto(href!);
    await hydrated(page);

    await expect(page.locator('leptos-island')).toHaveCount(3);
    expect(wasm).toContain('/pkg/aula.wasm');
    expect(wasm).not.toContain('/pkg/aula_lean_bg.wasm');
    expect(wasm.some((p) => p.includes('meeting_panel_loader'))).toBe(true);
    expect(wasm.some((p) => p.includes('hydrate_app'))).toBe(false);
    // The guest-link island is live: creating a link lists it.
    await page.getByLabel('Label (who it is for)').fill('Visiting lecturer');
    await page.getByLabel('Valid until').fill('2030-01-01T10:00');
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect(page.getByTestId('guest-link').filter({ hasText: 'Visiting lecturer' })).toBeVisible();
    expect(errors).toEqual([]);
});
