// Stand-in for the Jitsi Meet meeting page (the document inside the iframe).
//
// Talks to the embedding page through the real @jitsi/js-utils transport,
// scope `jitsi_meet_external_api_<id>` with <id> read from the URL hash,
// records everything it receives, renders it with stable data-testids and
// POSTs the record to the stand-in server (`/__records`).
import { PostMessageTransportBackend, Transport } from '@jitsi/js-utils/transport';

/**
 * Parses `a=b&c.d=<urlencoded JSON>` the way jitsi-meet's parseURLParams
 * does: each value is URI-decoded and JSON-parsed. Values that are not JSON
 * are kept as strings and listed in `errors`.
 *
 * @param {string} str - Hash without '#'.
 * @returns {{params: Object, errors: string[]}}
 */
function parseHash(str) {
    const params = {};
    const errors = [];

    for (const part of str.split('&')) {
        if (!part) {
            continue;
        }
        const eq = part.indexOf('=');
        const key = eq === -1 ? part : part.slice(0, eq);
        const raw = eq === -1 ? '' : part.slice(eq + 1);
        let value;

        try {
            value = decodeURIComponent(raw);
        } catch (e) {
            value = raw;
        }
        try {
            value = JSON.parse(value);
        } catch (e) {
            errors.push(key);
        }
        params[key] = value;
    }

    return { params, errors };
}

/**
 * Collects `prefix.key` params into an object.
 *
 * @returns {Object}
 */
function pick(params, prefix) {
    const out = {};

    for (const [ key, value ] of Object.entries(params)) {
        if (key.startsWith(`${prefix}.`)) {
            out[key.slice(prefix.length + 1)] = value;
        }
    }

    return out;
}

/**
 * 8 random hex characters, like a Jitsi endpoint id.
 *
 * @returns {string}
 */
function randomId() {
    const bytes = new Uint8Array(4);

    crypto.getRandomValues(bytes);

    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

let roomName;

try {
    roomName = decodeURIComponent(location.pathname.replace(/^\//, ''));
} catch (e) {
    roomName = location.pathname.replace(/^\//, '');
}

const query = Object.fromEntries(new URLSearchParams(location.search));
const { params: hash, errors: hashErrors } = parseHash(location.hash.replace(/^#/, ''));
const apiId = typeof hash.jitsi_meet_external_api_id === 'number' ? hash.jitsi_meet_external_api_id : undefined;
const userInfo = pick(hash, 'userInfo');
const participantId = randomId();

const record = {
    pageId: `${Date.now()}-${randomId()}`,
    seq: 0,
    roomName,
    path: location.pathname,
    query,
    jwt: query.jwt,
    lang: query.lang,
    apiId,
    scope: typeof apiId === 'number' ? `jitsi_meet_external_api_${apiId}` : undefined,
    hash,
    hashErrors,
    config: pick(hash, 'config'),
    interfaceConfig: pick(hash, 'interfaceConfig'),
    userInfo,
    devices: pick(hash, 'devices'),
    participantId,
    displayName: typeof userInfo.displayName === 'string' ? userInfo.displayName : '',
    email: typeof userInfo.email === 'string' ? userInfo.email : '',
    avatarUrl: '',
    role: 'participant',
    status: 'loading',
    unloaded: false,
    commands: [],
    requests: [],
    emitted: [],

    // Remote participants added with __standin.emit('participant-joined', ...).
    remoteParticipants: [],
    updatedAt: new Date().toISOString()
};

/* ------------------------------------------------------------------ */
/* Rendering and reporting                                             */
/* ------------------------------------------------------------------ */

const $ = id => document.querySelector(`[data-testid="${id}"]`);

/**
 * Updates the visible fields.
 *
 * @returns {void}
 */
function render() {
    $('room-name').textContent = record.roomName;
    $('display-name').textContent = record.displayName;
    $('email').textContent = record.email;
    $('avatar-url').textContent = record.avatarUrl;
    $('participant-id').textContent = record.participantId;
    $('role').textContent = record.role;
    $('status').textContent = record.status;
    $('jwt').textContent = record.jwt || '';
    $('lang').textContent = record.lang || '';
    $('commands').textContent = `[${record.commands.map(c => JSON.stringify({ name: c.name, data: c.data })).join(',\n')}]`;
    $('config').textContent = JSON.stringify({
        config: record.config,
        interfaceConfig: record.interfaceConfig,
        userInfo: record.userInfo
    }, null, 2);
    $('record').textContent = JSON.stringify(record, null, 2);
    $('leave').disabled = record.status === 'left';
}

let postChain = Promise.resolve();

/**
 * Renders and POSTs the record (in order) to /__records.
 *
 * @returns {void}
 */
function update() {
    record.seq++;
    record.updatedAt = new Date().toISOString();
    render();
    const body = JSON.stringify(record);

    postChain = postChain
        .then(() => fetch('/__records', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            keepalive: body.length < 60000
        }))
        .catch(() => undefined);
}

/* ------------------------------------------------------------------ */
/* Transport                                                           */
/* ------------------------------------------------------------------ */

const transport = typeof apiId === 'number'
    ? new Transport({
        backend: new PostMessageTransportBackend({
            postisOptions: {
                scope: `jitsi_meet_external_api_${apiId}`,
                window: window.opener || window.parent
            }
        })
    })
    : undefined;

/**
 * Sends an event to the host: {name, ...payload}.
 *
 * @returns {void}
 */
function send(name, payload = {}) {
    if (transport) {
        transport.sendEvent({ ...payload, name });
    }
}

/**
 * Participants of the main room as rooms-info reports them.
 *
 * @returns {Array<Object>}
 */
function participants() {
    const list = [];

    if (record.status === 'joined') {
        list.push({
            id: record.participantId,
            jid: `${record.roomName}@conference.standin/${record.participantId}`,
            role: record.role,
            displayName: record.displayName,
            avatarUrl: record.avatarUrl
        });
    }
    for (const p of record.remoteParticipants) {
        list.push({
            id: p.id,
            jid: `${record.roomName}@conference.standin/${p.id}`,
            role: p.role || 'participant',
            displayName: p.displayName || '',
            avatarUrl: p.avatarUrl || '',
            userContext: p.userContext
        });
    }

    return list;
}

/**
 * Leaves the meeting: video-conference-left, then video-ready-to-close.
 *
 * @returns {void}
 */
function leave() {
    if (record.status === 'left') {
        return;
    }
    record.status = 'left';
    send('video-conference-left', { roomName: record.roomName });
    send('video-ready-to-close');
    update();
}

/**
 * Tracks participants from events emitted by tests.
 *
 * @returns {void}
 */
function trackEmitted(name, payload) {
    const list = record.remoteParticipants;

    if (name === 'participant-joined' && payload.id && payload.id !== record.participantId) {
        const i = list.findIndex(p => p.id === payload.id);
        const entry = {
            id: payload.id,
            displayName: payload.displayName,
            role: 'participant',
            userContext: payload.userContext
        };

        if (i === -1) {
            list.push(entry);
        } else {
            list[i] = { ...list[i], ...entry };
        }
    } else if (name === 'participant-left') {
        record.remoteParticipants = list.filter(p => p.id !== payload.id);
    } else if (name === 'participant-role-changed') {
        if (payload.id === record.participantId) {
            record.role = payload.role;
        } else {
            const p = list.find(x => x.id === payload.id);

            if (p) {
                p.role = payload.role;
            }
        }
    }
}

const COMMAND_HANDLERS = {
    'display-name': ([ name ]) => {
        record.displayName = name === undefined || name === null ? '' : String(name);
        send('display-name-change', {
            id: record.participantId,
            displayname: record.displayName,
            formattedDisplayName: record.displayName
        });
    },
    'avatar-url': ([ url ]) => {
        record.avatarUrl = url === undefined || url === null ? '' : String(url);
        send('avatar-changed', { id: record.participantId, avatarURL: record.avatarUrl });
    },
    'email': ([ email ]) => {
        record.email = email === undefined || email === null ? '' : String(email);
        send('email-change', { id: record.participantId, email: record.email });
    },
    'video-hangup': () => leave()
};

if (transport) {
    transport.on('event', message => {
        const { name, data } = message || {};

        record.commands.push({ name, data, at: new Date().toISOString() });
        const handler = COMMAND_HANDLERS[name];

        if (handler) {
            handler(Array.isArray(data) ? data : []);
        }
        update();

        return true;
    });

    transport.on('request', (request, callback) => {
        const { name } = request || {};
        let result;
        let error;

        switch (name) {
        case 'rooms-info':
            result = {
                rooms: [ {
                    isMainRoom: true,
                    id: record.roomName,
                    jid: `${record.roomName}@conference.standin`,
                    participants: participants()
                } ]
            };
            break;
        case 'is-audio-muted':
        case 'is-video-muted':
        case 'is-moderation-on':
        case 'is-participant-force-muted':
        case 'is-visitor':
            result = false;
            break;
        case 'session-id':
            result = record.pageId;
            break;
        case 'list-breakout-rooms':
            result = {};
            break;
        case 'get-livestream-url':
            result = null;
            break;
        case 'invite':
            result = true;
            break;
        default:
            error = { message: `stand-in jitsi: unsupported request "${name}"` };
        }
        record.requests.push({ ...request, at: new Date().toISOString() });
        callback(result, error);
        update();

        return true;
    });
}

/* ------------------------------------------------------------------ */
/* Test hook                                                           */
/* ------------------------------------------------------------------ */

window.__standin = {
    /**
     * Makes the meeting emit an event to the host, e.g.
     * emit('participant-joined', {id: 'abcd1234', displayName: 'Bob'}).
     *
     * @param {string} name - Wire event name.
     * @param {Object} [payload] - Event payload.
     * @returns {void}
     */
    emit(name, payload = {}) {
        record.emitted.push({ name, payload, at: new Date().toISOString() });
        trackEmitted(name, payload);
        send(name, payload);
        update();
    },
    leave,
    get record() {
        return JSON.parse(JSON.stringify(record));
    },
    transport
};

/* ------------------------------------------------------------------ */
/* Start                                                               */
/* ------------------------------------------------------------------ */

$('leave').addEventListener('click', leave);

window.addEventListener('pagehide', () => {
    if (record.status === 'joined') {
        // The real meeting sends this from beforeunload as well.
        send('video-conference-left', { roomName: record.roomName });
    }
    record.unloaded = true;
    record.seq++;
    record.updatedAt = new Date().toISOString();
    try {
        navigator.sendBeacon('/__records', JSON.stringify(record));
    } catch (e) {
        // ignore
    }
});

send('ready');
record.status = 'joined';
send('video-conference-joined', {
    roomName: record.roomName,
    id: record.participantId,
    displayName: record.displayName,
    formattedDisplayName: record.displayName,
    email: record.email,
    avatarURL: '',
    breakoutRoom: false,
    visitor: false
});
update();
