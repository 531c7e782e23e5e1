// Aula's browser tests. Three servers are started for the run: the stand-in Jitsi server (the
// meeting frame), the mock BigBlueButton server, and Aula itself on a fresh SQLite data directory
// with the demo site seeded.
import { defineConfig } from '@playwright/test';

const AULA_PORT = Number(process.env.AULA_E2E_PORT || 3100);
const STANDIN_PORT = Number(process.env.STANDIN_PORT || 18443);
const MOCK_BBB_PORT = Number(process.env.MOCK_BBB_PORT || 18600);

export default defineConfig({
    testDir: './tests',
    outputDir: 'test-results',
    fullyParallel: false,
    workers: 1,
    retries: 0,
    timeout: 90_000,
    expect: { timeout: 15_000 },
    reporter: [['list']],
    use: {
        baseURL: `http://127.0.0.1:${AULA_PORT}`,
        browserName: 'chromium',
        timezoneId: 'Europe/Madrid',
        locale: 'en-GB',
        launchOptions: {
            executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
            args: [
                '--headless',
                '--no-sandbox',
                '--disable-gpu',
                '--disable-quic',
                '--no-first-run',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
            ],
        },
        trace: 'retain-on-failure',
        screenshot: 'only-on-failure',
    },
    webServer: [
        {
            command: 'node stand-in-jitsi/server.mjs',
            env: { STANDIN_PORT: String(STANDIN_PORT) },
            url: `http://127.0.0.1:${STANDIN_PORT}/__health`,
            reuseExistingServer: false,
            timeout: 30_000,
        },
        {
            command: 'bash start-mock-bbb.sh',
            env: { MOCK_BBB_PORT: String(MOCK_BBB_PORT) },
            url: `http://127.0.0.1:${MOCK_BBB_PORT}/bigbluebutton/api`,
            reuseExistingServer: false,
            timeout: 300_000,
        },
        {
            command: 'bash start-aula.sh',
            env: { AULA_E2E_PORT: String(AULA_PORT), STANDIN_PORT: String(STANDIN_PORT) },
            url: `http://127.0.0.1:${AULA_PORT}/healthz`,
            reuseExistingServer: false,
            stdout: 'pipe',
            timeout: 60_000,
        },
    ],
});
