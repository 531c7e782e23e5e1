// Loads the join page in Chromium as a demo student on a first visit and lists every file the
// browser fetched from Aula (HTML, JS, wasm chunks, CSS), with raw and brotli sizes.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

// Playwright is installed with the browser tests, in end2end/.
const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const base = process.argv[2];
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext();
// Log in through the API so the login page's own files are not counted.
const res = await context.request.post(`${base}/api/auth/login`, {
    form: { email: 'student1@aula.test', password: 'aula-demo-2026' },
});
if (!res.ok()) throw new Error(`login failed: ${res.status()}`);
const dash = await (await context.request.post(`${base}/api/dashboard`)).json();
const id = dash.next_sessions[0].activity_id;

const page = await context.newPage();
const fetched = [];
page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.origin === base && !url.pathname.startsWith('/api/')) fetched.push(url.pathname);
});
await page.goto(`${base}/activities/${id}`);
await page.waitForSelector('body[data-hydrated=true]');
await page.getByTestId('join-button').waitFor();
await page.waitForLoadState('networkidle');
const html = await (await context.request.get(`${base}/activities/${id}`)).body();
await browser.close();

const rows = [];
for (const path of [...new Set(fetched)]) {
    const body = path.startsWith('/activities/')
        ? html
        : Buffer.from(await (await fetch(`${base}${path}`)).arrayBuffer());
    const br = execFileSync('brotli', ['-q', '11', '-c'], { input: body }).length;
    rows.push([path, body.length, br]);
}
let raw = 0, br = 0;
console.log('file'.padEnd(52), 'raw'.padStart(10), 'brotli'.padStart(10));
for (const [p, r, b] of rows) {
    raw += r; br += b;
    console.log(p.padEnd(52), String(r).padStart(10), String(b).padStart(10));
}
console.log('TOTAL'.padEnd(52), String(raw).padStart(10), String(br).padStart(10));
console.log(`budget 200000 B brotli: ${br <= 200000 ? 'within' : 'OVER'} (${(br / 2000).toFixed(1)} % of it); mod_jitsi's join page ships 1240000 B`);
