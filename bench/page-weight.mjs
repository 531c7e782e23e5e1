// Loads the join page in Chromium as a demo student on a first visit and lists every file the
// browser fetched from Aula (HTML, JS, wasm chunks, CSS), with raw and brotli sizes; then, for
// comparison, the same page as its teacher and the student's dashboard.
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
// The server closes idle keep-alive connections after a few seconds, so a reused connection can
// be gone: try again on a fresh one.
async function download(url) {
    for (let attempt = 1; ; attempt++) {
        try {
            return Buffer.from(await (await fetch(url)).arrayBuffer());
        } catch (e) {
            if (attempt === 3) throw e;
        }
    }
}

// Logs in through the API (so the login page's own files are not counted), then loads `path` on
// a first visit (empty cache) and lists what the browser fetched from Aula.
async function measure(path, waitFor, email = 'student1@aula.test') {
    const context = await browser.newContext();
    const res = await context.request.post(`${base}/api/auth/login`, {
        form: { email, password: 'aula-demo-2026' },
    });
    if (!res.ok()) throw new Error(`login failed: ${res.status()}`);
    const target = typeof path === 'function' ? await path(context) : path;
    const page = await context.newPage();
    const fetched = [];
    page.on('response', (r) => {
        const url = new URL(r.url());
        if (url.origin === base && !url.pathname.startsWith('/api/')) fetched.push(url.pathname);
    });
    await page.goto(`${base}${target}`);
    await page.waitForSelector('body[data-hydrated=true]');
    if (waitFor) await page.getByTestId(waitFor).waitFor();
    await page.waitForLoadState('networkidle');
    const html = await (await context.request.get(`${base}${target}`)).body();
    await context.close();

    const rows = [];
    for (const p of [...new Set(fetched)]) {
        const body = p === target
            ? html
            : await download(`${base}${p}`);
        const br = execFileSync('brotli', ['-q', '11', '-c'], { input: body }).length;
        rows.push([p, body.length, br]);
    }
    return rows;
}

function report(title, rows) {
    let raw = 0, br = 0;
    console.log(`\n${title}`);
    console.log('file'.padEnd(56), 'raw'.padStart(10), 'brotli'.padStart(10));
    for (const [p, r, b] of rows) {
        raw += r; br += b;
        console.log(p.padEnd(56), String(r).padStart(10), String(b).padStart(10));
    }
    console.log('TOTAL'.padEnd(56), String(raw).padStart(10), String(br).padStart(10));
    return br;
}

const joinPage = async (context) => {
    const dash = await (await context.request.post(`${base}/api/dashboard`)).json();
    return `/activities/${dash.next_sessions[0].activity_id}`;
};
const join = report('Join page as a student (islands, lean build), first visit', await measure(joinPage, 'join-button'));
report('Join page as its teacher (islands, full build), first visit, for comparison',
    await measure(joinPage, 'join-button', 'teacher@aula.test'));
report('Dashboard as a student (whole app), first visit, for comparison', await measure('/'));
await browser.close();
console.log(`\njoin page: budget 200000 B brotli: ${join <= 200000 ? 'within' : 'OVER'} (${(join / 2000).toFixed(1)} % of it); mod_jitsi's join page ships 1240000 B`);
