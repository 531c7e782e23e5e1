// Playwright config for the stand-in Jitsi self-test only.
//   cd end2end && npx playwright test -c stand-in-jitsi/playwright.selftest.config.ts
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.STANDIN_SELFTEST_PORT || 18443);

export default defineConfig({
    testDir: '.',
    testMatch: 'selftest.spec.ts',
    outputDir: 'test-results',
    fullyParallel: false,
    workers: 1,
    retries: 0,
    timeout: 30_000,
    reporter: 'list',
    use: {
        baseURL: `http://127.0.0.1:${PORT}`,
        browserName: 'chromium',
        launchOptions: {
            executablePath: '/usr/bin/chromium',
            args: [
                '--headless',
                '--no-sandbox',
                '--disable-gpu',
                '--disable-quic',
                '--no-first-run',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync'
            ]
        },
        trace: 'retain-on-failure'
    },
    webServer: {
        // Playwright runs this from the directory of this config file.
        command: 'node server.mjs',
        env: { STANDIN_PORT: String(PORT) },
        url: `http://127.0.0.1:${PORT}/__health`,
        reuseExistingServer: false,
        stdout: 'pipe',
        timeout: 30_000
    }
});
