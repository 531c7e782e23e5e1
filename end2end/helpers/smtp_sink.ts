// A real SMTP server on loopback for journeys that read mail: server/tests/support/smtp_sink.py
// (aiosmtpd) on the port Aula sends to (end2end/start-aula.sh). Start it in `beforeAll` and stop it
// in `afterAll`: specs run one at a time, so each has the port to itself.
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

export const SMTP_PORT = Number(process.env.SMTP_SINK_PORT || 18625);

/** One received message: the text/plain part and the text/calendar part. */
export type Mail = { from: string; to: string[]; subject: string; body: string; ics: string };

export type SmtpSink = { mails: Mail[]; stop: () => void };

export async function startSmtpSink(): Promise<SmtpSink> {
    const script = path.resolve(__dirname, '../../server/tests/support/smtp_sink.py');
    const child: ChildProcess = spawn('python3', ['-u', script, String(SMTP_PORT)], {
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    const mails: Mail[] = [];
    const lines = readline.createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the SMTP sink did not start')), 20_000);
        child.on('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
        lines.on('line', (line) => {
            if (line === 'ready') {
                clearTimeout(timer);
                resolve();
            } else {
                mails.push(JSON.parse(line));
            }
        });
    });
    return { mails, stop: () => child.kill() };
}
