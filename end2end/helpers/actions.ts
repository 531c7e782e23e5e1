// What a user does: log in, log out, wait for the page to become interactive.
import { expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'aula-demo-2026';
export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' };

export async function hydrated(page: Page) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

export async function login(page: Page, email: string, password: string) {
    await page.context().clearCookies();
    await page.goto('/login');
    await hydrated(page);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await hydrated(page);
    await expect(page.getByTestId('current-user')).toBeVisible();
}

/** The browser's local wall-clock time `seconds` from now, as a datetime-local value. */
export async function localTimeIn(page: Page, seconds: number): Promise<string> {
    return page.evaluate((s) => {
        const d = new Date(Date.now() + s * 1000);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, seconds);
}

export const STANDIN = `http://127.0.0.1:${process.env.STANDIN_PORT || 18443}`;
