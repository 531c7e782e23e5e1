// Screenshots of Aula pages for a human to look at (not a test): node shot.mjs BASE EMAIL PASSWORD OUTDIR WIDTH path...
import { chromium } from '@playwright/test';
const [base, email, password, out, width, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, locale: process.env.LOCALE || 'en-GB' });
if (email !== '-') {
  await page.goto(base + '/login');
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel(/E-mail|Correo|Courriel|E-Mail/).fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((u) => u.pathname === '/');
}
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForSelector('body[data-hydrated="true"]').catch(() => {});
  await page.waitForTimeout(500);
  const name = p.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'root';
  await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
  console.log(`${out}/${name}-${width}.png`);
}
await browser.close();
