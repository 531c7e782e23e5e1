// Self-test of the stand-in Jitsi server (server.mjs).
//   cd end2end && npx playwright test -c stand-in-jitsi/playwright.selftest.config.ts
import { expect, test } from '@playwright/test';

test.beforeEach(async ({ request }) => {
    expect((await request.delete('/__records')).status()).toBe(204);
});

test('host page joins, sends commands, receives events, and leave delivers readyToClose', async ({ page, request, baseURL }) => {
    const room = 'selftest-room';
    const errors: string[] = [];

    page.on('pageerror', e => errors.push(String(e)));

    await page.goto(`/__host-test?room=${room}&name=${encodeURIComponent('Alice Example')}`
        + '&email=alice%40example.org&jwt=aaa.bbb.ccc&lang=de');

    // The iframe is built like the real API builds it.
    const iframe = page.locator('iframe#jitsiConferenceFrame0');

    await expect(iframe).toHaveAttribute('name', 'jitsiConferenceFrame0');
    await expect(iframe).toHaveAttribute('allow', /camera; clipboard-write.*microphone/);
    await expect(iframe).toHaveAttribute('allowfullscreen', 'true');
    const src = await iframe.getAttribute('src');

    expect(src).toBe(`${baseURL}/${room}?jwt=aaa.bbb.ccc&lang=de#jitsi_meet_external_api_id=0`
        + `&config.prejoinConfig=${encodeURIComponent(JSON.stringify({ enabled: false }))}`
        + '&config.startWithAudioMuted=true'
        + `&interfaceConfig.SHOW_JITSI_WATERMARK=false`
        + `&userInfo.displayName=${encodeURIComponent('"Alice Example"')}`
        + `&userInfo.email=${encodeURIComponent('"alice@example.org"')}`);

    const frame = page.frameLocator('#jitsiConferenceFrame0');

    // Inside the meeting: what the host sent arrived.
    await expect(frame.getByTestId('room-name')).toHaveText(room);
    await expect(frame.getByTestId('display-name')).toHaveText('Alice Example');
    await expect(frame.getByTestId('email')).toHaveText('alice@example.org');
    await expect(frame.getByTestId('avatar-url')).toHaveText('http://x/a.png');
    await expect(frame.getByTestId('jwt')).toHaveText('aaa.bbb.ccc');
    await expect(frame.getByTestId('lang')).toHaveText('de');
    await expect(frame.getByTestId('status')).toHaveText('joined');
    await expect(frame.getByTestId('commands')).toContainText('{"name":"avatar-url","data":["http://x/a.png"]}');

    // On the host: onload (from the `ready` event) and videoConferenceJoined.
    await expect(page.getByTestId('host-status')).toHaveText('joined');
    await expect(page.locator('[data-event="onload"]')).toHaveCount(1);
    const joined = await page.evaluate(() => (window as any).__hostEvents
        .find((e: any) => e.name === 'videoConferenceJoined').payload);

    expect(joined).toMatchObject({
        roomName: room,
        displayName: 'Alice Example',
        email: 'alice@example.org',
        avatarURL: '',
        breakoutRoom: false,
        visitor: false
    });
    expect(joined.id).toMatch(/^[0-9a-f]{8}$/);
    expect(joined.name).toBeUndefined();

    // A display-name command updates the meeting.
    await page.evaluate(() => (window as any).__api.executeCommand('displayName', 'Alice Renamed'));
    await expect(frame.getByTestId('display-name')).toHaveText('Alice Renamed');
    await expect(page.locator('[data-event="displayNameChange"]')).toHaveCount(1);

    // The record is visible outside the frame.
    await expect.poll(async () => {
        const r = await request.get(`/__records/${room}`);

        return r.ok() ? (await r.json()).displayName : null;
    }).toBe('Alice Renamed');
    const rec = await (await request.get(`/__records/${room}`)).json();

    expect(rec).toMatchObject({
        roomName: room,
        jwt: 'aaa.bbb.ccc',
        lang: 'de',
        apiId: 0,
        scope: 'jitsi_meet_external_api_0',
        avatarUrl: 'http://x/a.png',
        email: 'alice@example.org',
        config: { startWithAudioMuted: true, prejoinConfig: { enabled: false } },
        interfaceConfig: { SHOW_JITSI_WATERMARK: false },
        userInfo: { displayName: 'Alice Example', email: 'alice@example.org' },
        status: 'joined'
    });
    expect(rec.commands.map((c: any) => c.name)).toEqual([ 'avatar-url', 'display-name' ]);
    expect(Object.keys(await (await request.get('/__records')).json())).toEqual([ room ]);

    // Leaving delivers videoConferenceLeft and readyToClose to the host.
    await frame.getByTestId('leave').click();
    await expect(page.getByTestId('host-status')).toHaveText('readyToClose');
    await expect(page.locator('[data-event="videoConferenceLeft"]'))
        .toHaveText(`videoConferenceLeft ${JSON.stringify({ roomName: room })}`);
    await expect(frame.getByTestId('status')).toHaveText('left');
    await expect.poll(async () => (await (await request.get(`/__records/${room}`)).json()).status).toBe('left');

    expect(errors).toEqual([]);
});

test('requests, emitted events, executeCommands, listeners and dispose', async ({ page, request }) => {
    const room = 'selftest-two';

    await page.goto(`/__host-test?room=${room}&name=Bob`);
    await expect(page.getByTestId('host-status')).toHaveText('joined');

    // rooms-info request round trip.
    const info = await page.evaluate(() => (window as any).__api.getRoomsInfo());

    expect(info.rooms).toHaveLength(1);
    expect(info.rooms[0]).toMatchObject({
        isMainRoom: true,
        id: room,
        jid: `${room}@conference.standin`,
        participants: [ { displayName: 'Bob', role: 'participant' } ]
    });

    // The meeting emits arbitrary events on request of the test.
    const meeting = page.frame({ name: 'jitsiConferenceFrame0' })!;

    await meeting.evaluate(() => (window as any).__standin.emit('participant-joined', {
        id: 'abcd1234',
        displayName: 'Carol',
        userContext: { id: 'lms-42' }
    }));
    await expect(page.locator('[data-event="participantJoined"]')).toContainText('"id":"abcd1234"');
    const info2 = await page.evaluate(() => (window as any).__api.getRoomsInfo());

    expect(info2.rooms[0].participants.map((p: any) => p.displayName)).toEqual([ 'Bob', 'Carol' ]);
    expect(await page.evaluate(() => (window as any).__api.getNumberOfParticipants())).toBe(2);

    // Unsupported requests reject.
    // The rejection value is the plain `error` object of the response, as in the real transport.
    expect(await page.evaluate(() => (window as any).__api._request({ name: 'no-such-request' })
        .then(() => 'resolved', (e: any) => e.message))).toMatch(/unsupported request "no-such-request"/);

    // executeCommands sends each value as the single argument; off() removes listeners.
    await page.evaluate(() => {
        const api = (window as any).__api;
        const w = window as any;

        w.__roleEvents = 0;
        w.__roleListener = () => {
            w.__roleEvents++;
        };
        api.addListener('participantRoleChanged', w.__roleListener);
        api.executeCommands({ password: 's3cret', grantModerator: 'abcd1234', kickParticipant: 'abcd1234' });
        api.executeCommand('muteEveryone', 'audio');
        api.executeCommand('startRecording', { mode: 'file' });
    });
    await expect.poll(async () => (await meeting.evaluate(() => (window as any).__standin.record.commands))
        .map((c: any) => [ c.name, c.data ])).toEqual([
        [ 'avatar-url', [ 'http://x/a.png' ] ],
        [ 'password', [ 's3cret' ] ],
        [ 'grant-moderator', [ 'abcd1234' ] ],
        [ 'kick-participant', [ 'abcd1234' ] ],
        [ 'mute-everyone', [ 'audio' ] ],
        [ 'start-recording', [ { mode: 'file' } ] ]
    ]);
    await meeting.evaluate(() => (window as any).__standin.emit('participant-role-changed', {
        id: 'abcd1234', role: 'moderator' }));
    await expect.poll(() => page.evaluate(() => (window as any).__roleEvents)).toBe(1);
    await page.evaluate(() => (window as any).__api.off('participantRoleChanged', (window as any).__roleListener));
    await meeting.evaluate(() => (window as any).__standin.emit('participant-role-changed', {
        id: 'abcd1234', role: 'participant' }));
    await expect(page.locator('[data-event="participantRoleChanged"]')).toHaveCount(2);
    expect(await page.evaluate(() => (window as any).__roleEvents)).toBe(1);

    // The hangup command makes the meeting leave.
    await page.evaluate(() => (window as any).__api.executeCommand('hangup'));
    await expect(page.getByTestId('host-status')).toHaveText('readyToClose');

    // dispose() removes the iframe; the meeting page reports its unload.
    await page.evaluate(() => (window as any).__api.dispose());
    await expect(page.locator('iframe')).toHaveCount(0);
    await expect.poll(async () => (await (await request.get(`/__records/${room}`)).json()).unloaded).toBe(true);
});

test('cross-origin host sees the real postis framing on the wire', async ({ page, request }) => {
    const room = 'selftest-cross';

    // Capture the raw postMessage traffic arriving at the host window.
    await page.addInitScript(() => {
        if (window.top === window) {
            (window as any).__raw = [];
            window.addEventListener('message', e => (window as any).__raw.push(e.data));
        }
    });

    // Host on http://localhost:<port>, meeting on http://127.0.0.1:<port>.
    const port = new URL(test.info().project.use.baseURL!).port;

    await page.goto(`http://localhost:${port}/__host-test?room=${room}&name=Dora&domain=127.0.0.1:${port}`);
    await expect(page.getByTestId('host-status')).toHaveText('joined');
    const frame = page.frameLocator('#jitsiConferenceFrame0');

    await expect(frame.getByTestId('avatar-url')).toHaveText('http://x/a.png');
    await expect.poll(async () => (await request.get(`/__records/${room}`)).status()).toBe(200);

    const raw: unknown[] = await page.evaluate(() => (window as any).__raw);
    const parsed = raw.filter((d): d is string => typeof d === 'string').map(d => JSON.parse(d));

    expect(raw.every(d => typeof d === 'string')).toBe(true);
    expect(parsed.every(m => m.postis === true && m.scope === 'jitsi_meet_external_api_0')).toBe(true);
    expect(parsed.some(m => m.method === '__ready__' && typeof m.params === 'string')).toBe(true);
    const events = parsed.filter(m => m.method === 'message' && m.params.type === 'event').map(m => m.params.data);

    expect(events[0]).toEqual({ name: 'ready' });
    expect(events[1]).toMatchObject({ name: 'video-conference-joined', roomName: room, displayName: 'Dora' });
});

test('server endpoints', async ({ request }) => {
    const health = await request.get('/__health');

    expect(health.status()).toBe(200);
    expect(await health.text()).toBe('ok');

    const api = await request.get('/external_api.js');

    expect(api.headers()['content-type']).toContain('application/javascript');
    expect(api.headers()['access-control-allow-origin']).toBe('*');
    expect(await api.text()).toContain('JitsiMeetExternalAPI');

    expect((await request.get('/__records/nope')).status()).toBe(404);
    expect((await request.put('/anything')).status()).toBe(405);

    const post = await request.post('/__records', { data: { roomName: 'x/y', foo: 1 } });

    expect(post.status()).toBe(204);
    expect(post.headers()['access-control-allow-origin']).toBe('*');
    expect(await (await request.get(`/__records/${encodeURIComponent('x/y')}`)).json()).toMatchObject({ foo: 1 });
    expect((await request.delete('/__records')).status()).toBe(204);
    // Only this record is checked: a meeting page of an earlier test may still send its unload
    // record after the clear (it did once, in CI), so the store as a whole need not stay empty.
    expect((await request.get(`/__records/${encodeURIComponent('x/y')}`)).status()).toBe(404);
});
