#!/usr/bin/env node
// Stand-in Jitsi Meet server for end-to-end tests (see README.md).
//
//   STANDIN_PORT=8443 node stand-in-jitsi/server.mjs
//
// Serves a stand-in /external_api.js (Jitsi IFrame API), a stand-in meeting
// page for every other path, and a small record store under /__records.
// Both scripts are bundled at start-up with esbuild from src/, using the real
// @jitsi/js-utils transport. Paths under /__google are a fake of Google's
// OAuth and YouTube Data APIs (fake-google/).
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { GOOGLE_PREFIX, handleGoogle } from './fake-google/index.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST = process.env.STANDIN_HOST || '127.0.0.1';
const PORT = process.env.STANDIN_PORT === undefined || process.env.STANDIN_PORT === ''
    ? 8443
    : Number(process.env.STANDIN_PORT);
const MAX_BODY = 5 * 1024 * 1024;

if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
    console.error(`stand-in jitsi: bad STANDIN_PORT ${JSON.stringify(process.env.STANDIN_PORT)}`);
    process.exit(2);
}

/**
 * Bundles one browser entry point into a classic (IIFE) script.
 *
 * @param {string} entry - File name under src/.
 * @returns {Promise<string>}
 */
async function bundle(entry) {
    const result = await build({
        entryPoints: [ path.join(HERE, 'src', entry) ],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        write: false,
        logLevel: 'warning',
        legalComments: 'inline'
    });

    return result.outputFiles[0].text;
}

const [ EXTERNAL_API_JS, MEETING_JS ] = await Promise.all([
    bundle('external_api.js'),
    bundle('meeting.js')
]);

/** Latest record per room name. */
const records = new Map();

const html = s => String(s).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

const MEETING_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Stand-in Jitsi meeting</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 12px; background: #1e1e2a; color: #eee; }
  dt { font-weight: bold; } dd { margin: 0 0 6px 0; min-height: 1em; }
  pre { background: #111; padding: 6px; white-space: pre-wrap; word-break: break-all; }
  button { font-size: 16px; padding: 6px 14px; background: #c33; color: #fff; border: 0; border-radius: 4px; }
  button:disabled { background: #666; }
</style>
</head>
<body>
<h1>Stand-in Jitsi meeting</h1>
<dl>
  <dt>Room</dt><dd data-testid="room-name"></dd>
  <dt>Display name</dt><dd data-testid="display-name"></dd>
  <dt>Email</dt><dd data-testid="email"></dd>
  <dt>Avatar URL</dt><dd data-testid="avatar-url"></dd>
  <dt>Participant id</dt><dd data-testid="participant-id"></dd>
  <dt>Role</dt><dd data-testid="role"></dd>
  <dt>Status</dt><dd data-testid="status">loading</dd>
  <dt>JWT</dt><dd data-testid="jwt"></dd>
  <dt>Lang</dt><dd data-testid="lang"></dd>
</dl>
<button type="button" data-testid="leave">Leave meeting</button>
<h2>Commands</h2>
<pre data-testid="commands">[]</pre>
<h2>Config</h2>
<pre data-testid="config">{}</pre>
<details><summary>Record</summary><pre data-testid="record"></pre></details>
<script src="/__standin/meeting.js"></script>
</body>
</html>
`;

/**
 * Host page used by the self-test: embeds the room given by ?room= with the
 * stand-in API and logs the API events it receives.
 *
 * @param {URLSearchParams} q - Query.
 * @returns {string}
 */
function hostTestHtml(q) {
    const settings = {
        room: q.get('room') || 'standin-selftest',
        domain: q.get('domain') || undefined,
        displayName: q.get('name') || 'Stand-in Tester',
        email: q.get('email') || undefined,
        jwt: q.get('jwt') || undefined,
        lang: q.get('lang') || undefined,
        avatarUrl: q.get('avatar') || 'http://x/a.png'
    };

    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Stand-in Jitsi host test</title></head>
<body>
<h1>Host test: ${html(settings.room)}</h1>
<div data-testid="host-status">constructing</div>
<div id="meet"></div>
<ol data-testid="host-events"></ol>
<script src="/external_api.js"></script>
<script>
(function () {
  var s = ${JSON.stringify(settings).replace(/</g, '\\u003c')};
  var list = document.querySelector('[data-testid="host-events"]');
  var status = document.querySelector('[data-testid="host-status"]');
  window.__hostEvents = [];
  function log(name, payload) {
    window.__hostEvents.push({ name: name, payload: payload });
    var li = document.createElement('li');
    li.setAttribute('data-testid', 'host-event');
    li.setAttribute('data-event', name);
    li.textContent = name + ' ' + JSON.stringify(payload === undefined ? null : payload);
    list.appendChild(li);
  }
  var api = new JitsiMeetExternalAPI(s.domain || location.host, {
    roomName: s.room,
    width: '100%',
    height: 520,
    parentNode: document.getElementById('meet'),
    noSSL: true,
    jwt: s.jwt,
    lang: s.lang,
    configOverwrite: { prejoinConfig: { enabled: false }, startWithAudioMuted: true },
    interfaceConfigOverwrite: { SHOW_JITSI_WATERMARK: false },
    userInfo: { displayName: s.displayName, email: s.email },
    onload: function () { log('onload'); }
  });
  window.__api = api;
  ['videoConferenceJoined', 'videoConferenceLeft', 'readyToClose', 'participantJoined',
   'participantLeft', 'participantRoleChanged', 'passwordRequired', 'recordingStatusChanged',
   'errorOccurred', 'displayNameChange', 'avatarChanged', 'emailChange'].forEach(function (ev) {
    api.on(ev, function (payload) { log(ev, payload); });
  });
  api.on('videoConferenceJoined', function () {
    status.textContent = 'joined';
    api.executeCommand('avatarUrl', s.avatarUrl);
  });
  api.on('readyToClose', function () { status.textContent = 'readyToClose'; });
  status.textContent = 'constructed';
})();
</script>
</body>
</html>
`;
}

/**
 * Sends a response.
 *
 * @returns {void}
 */
function send(res, status, body, headers = {}) {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body));

    res.writeHead(status, {
        'Cache-Control': 'no-store',
        'Content-Length': buf.length,
        ...headers
    });
    res.end(res.req.method === 'HEAD' ? undefined : buf);
}

const CORS = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type'
};
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const JS_TYPE = { 'Content-Type': 'application/javascript; charset=utf-8' };
const HTML_TYPE = { 'Content-Type': 'text/html; charset=utf-8' };
const TEXT_TYPE = { 'Content-Type': 'text/plain; charset=utf-8' };

/**
 * Reads a request body (limited).
 *
 * @returns {Promise<string>}
 */
function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;

        req.on('data', c => {
            size += c.length;
            if (size > MAX_BODY) {
                reject(new Error('body too large'));
                req.destroy();

                return;
            }
            chunks.push(c);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

/**
 * Stores a posted record unless it is older than the one stored from the same page.
 *
 * @returns {void}
 */
function storeRecord(rec) {
    const prev = records.get(rec.roomName);

    if (prev && prev.pageId && prev.pageId === rec.pageId
            && typeof prev.seq === 'number' && typeof rec.seq === 'number' && rec.seq < prev.seq) {
        return;
    }
    records.set(rec.roomName, { ...rec, receivedAt: new Date().toISOString() });
}

/**
 * Handles /__records and /__records/<room>.
 *
 * @returns {Promise<void>}
 */
async function handleRecords(req, res, pathname) {
    const headers = { ...CORS, ...JSON_TYPE };
    const rest = pathname.slice('/__records'.length);
    let room;

    if (rest.startsWith('/') && rest.length > 1) {
        try {
            room = decodeURIComponent(rest.slice(1));
        } catch (e) {
            return send(res, 400, JSON.stringify({ error: 'bad room name' }), headers);
        }
    } else if (rest !== '' && rest !== '/') {
        return send(res, 404, JSON.stringify({ error: 'not found' }), headers);
    }

    switch (req.method) {
    case 'OPTIONS':
        return send(res, 204, '', CORS);
    case 'GET':
    case 'HEAD':
        if (room === undefined) {
            return send(res, 200, JSON.stringify(Object.fromEntries(records)), headers);
        }
        if (!records.has(room)) {
            return send(res, 404, JSON.stringify({ error: `no record for room ${room}` }), headers);
        }

        return send(res, 200, JSON.stringify(records.get(room)), headers);
    case 'POST': {
        if (room !== undefined) {
            return send(res, 405, JSON.stringify({ error: 'POST /__records' }),
                { ...headers, Allow: 'GET, HEAD, DELETE, OPTIONS' });
        }
        let rec;

        try {
            rec = JSON.parse(await readBody(req));
        } catch (e) {
            return send(res, 400, JSON.stringify({ error: `bad JSON: ${e.message}` }), headers);
        }
        if (!rec || typeof rec !== 'object' || typeof rec.roomName !== 'string') {
            return send(res, 400, JSON.stringify({ error: 'body must be an object with a string roomName' }), headers);
        }
        storeRecord(rec);

        return send(res, 204, '', CORS);
    }
    case 'DELETE':
        if (room === undefined) {
            records.clear();
        } else {
            records.delete(room);
        }

        return send(res, 204, '', CORS);
    default:
        return send(res, 405, JSON.stringify({ error: 'method not allowed' }),
            { ...headers, Allow: 'GET, HEAD, POST, DELETE, OPTIONS' });
    }
}

const server = http.createServer(async (req, res) => {
    try {
        const url = new URL(req.url, 'http://standin.invalid');
        const { pathname } = url;

        if (pathname === '/__records' || pathname.startsWith('/__records/')) {
            return await handleRecords(req, res, pathname);
        }
        // Before the read-only check: the fake takes POST, PUT and DELETE.
        if (pathname === GOOGLE_PREFIX || pathname.startsWith(`${GOOGLE_PREFIX}/`)) {
            return await handleGoogle(req, res, url);
        }

        const isRead = req.method === 'GET' || req.method === 'HEAD';

        if (req.method === 'OPTIONS' && pathname === '/external_api.js') {
            return send(res, 204, '', CORS);
        }
        if (!isRead) {
            return send(res, 405, 'method not allowed\n', { ...TEXT_TYPE, Allow: 'GET, HEAD' });
        }

        switch (pathname) {
        case '/__health':
            return send(res, 200, 'ok', TEXT_TYPE);
        case '/external_api.js':
            return send(res, 200, EXTERNAL_API_JS, { ...JS_TYPE, ...CORS });
        case '/__standin/meeting.js':
            return send(res, 200, MEETING_JS, JS_TYPE);
        case '/__host-test':
            return send(res, 200, hostTestHtml(url.searchParams), HTML_TYPE);
        case '/favicon.ico':
            return send(res, 204, '');
        default:
            return send(res, 200, MEETING_HTML, HTML_TYPE);
        }
    } catch (e) {
        console.error('stand-in jitsi: request failed', e);
        if (!res.headersSent) {
            send(res, 500, 'internal error\n', TEXT_TYPE);
        } else {
            res.destroy();
        }
    }
});

server.on('error', e => {
    console.error(`stand-in jitsi: ${e.message}`);
    process.exit(1);
});

server.listen(PORT, HOST, () => {
    const { port } = server.address();

    console.log(`stand-in jitsi listening on http://${HOST}:${port}`);
});

for (const sig of [ 'SIGINT', 'SIGTERM' ]) {
    process.on(sig, () => {
        server.close();
        server.closeAllConnections?.();
        process.exit(0);
    });
}
