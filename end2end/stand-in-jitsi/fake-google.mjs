// Fake of Google's OAuth 2.0 endpoints and the parts of the YouTube Data API v3
// that Aula uses, for end-to-end tests (see README.md, "Fake Google").
//
// server.mjs hands every path under /__google to handleGoogle(). All state is
// in memory and lives until POST /__google/__reset or a restart. The fake is
// strict where a real Google would refuse a request (so tests catch requests
// that only work against a lenient fake) and lenient about everything Aula
// cannot get wrong (any client id/secret pair, any redirect URI).
import { createHash, randomBytes } from 'node:crypto';

export const GOOGLE_PREFIX = '/__google';

const YOUTUBE_SCOPE = 'https://www.googleapis.com/auth/youtube';
const YT = '/youtube/v3';
const MAX_BODY = 5 * 1024 * 1024;
const ACCESS_TOKEN_TTL = 3599;
const INGESTION_ADDRESS = 'rtmp://a.rtmp.youtube.com/live2';
const CHANNEL_ID = 'UC-fake-channel';
const PRIVACY = [ 'public', 'unlisted', 'private' ];
const RESOLUTIONS = [ '240p', '360p', '480p', '720p', '1080p', '1440p', '2160p', 'variable' ];
const FRAME_RATES = [ '30fps', '60fps', 'variable' ];
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const TEXT_TYPE = { 'Content-Type': 'text/plain; charset=utf-8' };

// Never reset, so a token or id minted before a reset can never be confused
// with one minted after it.
let counter = 0;
const next = () => ++counter;

/** Fresh in-memory state; __reset swaps in a new one. */
function emptyState() {
    return {
        calls: [],
        failures: [],
        clientSecrets: new Map(),
        codes: new Map(),
        tokens: new Map(),
        broadcasts: new Map(),
        streams: new Map(),
        videos: new Map(),
        held: new Set()
    };
}

let state = emptyState();

// ---------------------------------------------------------------- replies

/**
 * A JSON reply.
 *
 * @returns {{status: number, body: string, headers: object}}
 */
const json = (status, obj, headers = {}) =>
    ({ status, body: JSON.stringify(obj), headers: { ...JSON_TYPE, ...headers } });
const text = (status, s) => ({ status, body: `${s}\n`, headers: TEXT_TYPE });
const noContent = () => ({ status: 204, body: '', headers: {} });

const API_STATUS = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND', 409: 'ABORTED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
const DEFAULT_REASON = { 400: 'badRequest', 401: 'authError', 403: 'forbidden', 404: 'notFound',
    409: 'conflict', 429: 'rateLimitExceeded', 500: 'backendError', 503: 'backendError' };

/**
 * An error in the YouTube Data API's shape, which Aula parses for `reason`.
 *
 * @returns {object} A reply.
 */
function apiError(status, reason = DEFAULT_REASON[status] || 'error', message = reason) {
    const error = { code: status, message, errors: [ { message, domain: 'youtube.api', reason } ] };

    if (API_STATUS[status]) {
        error.status = API_STATUS[status];
    }

    return json(status, { error });
}

const oauthError = (status, error, description) =>
    json(status, description === undefined ? { error } : { error, error_description: description });

/**
 * Writes a reply.
 *
 * @returns {void}
 */
function respond(res, { status, body, headers }) {
    const buf = Buffer.from(body);

    res.writeHead(status, { 'Cache-Control': 'no-store', 'Content-Length': buf.length, ...headers });
    res.end(res.req.method === 'HEAD' ? undefined : buf);
}

// ---------------------------------------------------------------- request parsing

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

const isForm = req => /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] || '');

/**
 * Parses a body as a form (by Content-Type) or JSON. A body that is neither
 * stays a string, so the call log still shows what was sent.
 *
 * @returns {object|string|null}
 */
function parseBody(req, raw) {
    if (raw === '') {
        return null;
    }
    if (isForm(req)) {
        return Object.fromEntries(new URLSearchParams(raw));
    }
    try {
        return JSON.parse(raw);
    } catch (e) {
        return raw;
    }
}

const bearer = req => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '')?.[1] ?? null;

/** Decodes one form-urlencoded value (RFC 6749 encodes Basic credentials this way). */
function formDecode(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch (e) {
        return s;
    }
}

/**
 * HTTP Basic client credentials, or null when the header is not Basic.
 *
 * @returns {{id: string, secret: string}|null}
 */
function basicCredentials(req) {
    const m = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization || '');

    if (!m) {
        return null;
    }
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');

    return colon < 0
        ? { id: formDecode(decoded), secret: '' }
        : { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

const partsOf = q => (q.get('part') || '').split(',').map(s => s.trim()).filter(Boolean);
const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);
const now = () => new Date().toISOString();

// ---------------------------------------------------------------- OAuth

/**
 * Why an authorize request would be refused, or null. Google shows such
 * errors to the user instead of redirecting, hence plain text.
 *
 * @returns {string|null}
 */
function authorizeProblem(q) {
    const equals = { response_type: 'code', access_type: 'offline', code_challenge_method: 'S256' };

    for (const [ k, v ] of Object.entries(equals)) {
        if (q.get(k) !== v) {
            return `${k} must be ${v} (got ${JSON.stringify(q.get(k))})`;
        }
    }
    for (const k of [ 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge' ]) {
        if (!q.get(k)) {
            return `missing ${k}`;
        }
    }
    if (!q.get('scope').split(' ').includes(YOUTUBE_SCOPE)) {
        return `scope must include ${YOUTUBE_SCOPE} (got ${JSON.stringify(q.get('scope'))})`;
    }
    // Without prompt=consent Google does not issue a new refresh token when
    // the user has already granted access once.
    if (!(q.get('prompt') || '').split(' ').includes('consent')) {
        return `prompt must include consent (got ${JSON.stringify(q.get('prompt'))})`;
    }
    // An S256 challenge is exactly 43 base64url characters; anything else
    // means it was padded or encoded with the wrong alphabet.
    if (!/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge'))) {
        return 'code_challenge must be base64url(sha256(verifier)) without padding';
    }
    try {
        new URL(q.get('redirect_uri'));
    } catch (e) {
        return 'redirect_uri is not an absolute URL';
    }

    return null;
}

/**
 * Google's redirect back to the app, with the parameters appended to any
 * query the redirect URI already has.
 *
 * @returns {object} A reply.
 */
function redirectBack(redirectUri, params) {
    const query = Object.entries(params).map(([ k, v ]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const sep = redirectUri.includes('?') ? '&' : '?';

    return { status: 302, body: '', headers: { Location: `${redirectUri}${sep}${query}` } };
}

/** GET /auth: the consent screen, which the fake always accepts. */
function authorize({ q }) {
    const problem = authorizeProblem(q);

    if (problem) {
        return text(400, `Error 400: invalid_request\n${problem}`);
    }
    const code = `4/fake-code-${next()}`;

    state.codes.set(code, { clientId: q.get('client_id'), redirectUri: q.get('redirect_uri'),
        challenge: q.get('code_challenge'), scope: q.get('scope'), used: false });

    return redirectBack(q.get('redirect_uri'), { state: q.get('state'), code, scope: q.get('scope') });
}

/**
 * Authenticates the client of a token request: body or Basic credentials,
 * any pair accepted, but the first secret seen per client id sticks.
 *
 * @returns {{clientId: string}|{reply: object}}
 */
function authenticateClient(req, form) {
    const basic = basicCredentials(req);

    if (basic && ((form.client_id && form.client_id !== basic.id)
            || (form.client_secret && form.client_secret !== basic.secret))) {
        return { reply: oauthError(401, 'invalid_client', 'Basic and body credentials differ.') };
    }
    const clientId = basic?.id || form.client_id;
    const secret = basic?.secret || form.client_secret;

    if (!clientId) {
        return { reply: oauthError(400, 'invalid_request', 'Could not determine client ID from request.') };
    }
    if (!secret) {
        return { reply: oauthError(400, 'invalid_request', 'client_secret is missing.') };
    }
    if (!state.clientSecrets.has(clientId)) {
        state.clientSecrets.set(clientId, secret);
    }
    if (state.clientSecrets.get(clientId) !== secret) {
        return { reply: oauthError(401, 'invalid_client', 'Unauthorized') };
    }

    return { clientId };
}

/**
 * Mints an access token for a grant.
 *
 * @returns {string}
 */
function mintAccessToken(grant) {
    const token = `ya29.fake-${next()}`;

    state.tokens.set(token, { kind: 'access', grant });

    return token;
}

/** grant_type=authorization_code, with PKCE. */
function exchangeCode(clientId, form) {
    const entry = state.codes.get(form.code);
    const bad = description => oauthError(400, 'invalid_grant', description);

    if (!entry || entry.used) {
        return bad(entry ? 'Code was already redeemed.' : 'Malformed auth code.');
    }
    if (entry.clientId !== clientId) {
        return bad('Code was issued to another client.');
    }
    if (form.redirect_uri !== entry.redirectUri) {
        return bad('redirect_uri does not match the one used to get the code.');
    }
    const verifier = form.code_verifier || '';

    if (createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) {
        return bad('Invalid code verifier.');
    }
    entry.used = true;
    const grant = { clientId, scope: entry.scope, revoked: false };
    const refreshToken = `1//fake-refresh-${next()}`;

    state.tokens.set(refreshToken, { kind: 'refresh', grant });

    return json(200, { access_token: mintAccessToken(grant), expires_in: ACCESS_TOKEN_TTL,
        refresh_token: refreshToken, scope: grant.scope, token_type: 'Bearer' });
}

/** grant_type=refresh_token: a new access token; the refresh token stays. */
function refresh(clientId, form) {
    const entry = state.tokens.get(form.refresh_token);

    if (!entry || entry.kind !== 'refresh' || entry.grant.revoked || entry.grant.clientId !== clientId) {
        return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    }

    return json(200, { access_token: mintAccessToken(entry.grant), expires_in: ACCESS_TOKEN_TTL,
        scope: entry.grant.scope, token_type: 'Bearer' });
}

/** POST /token. */
function token({ req, body }) {
    if (!isForm(req) || !isObject(body)) {
        return oauthError(400, 'invalid_request', 'Body must be application/x-www-form-urlencoded.');
    }
    const client = authenticateClient(req, body);

    if (client.reply) {
        return client.reply;
    }
    switch (body.grant_type) {
    case 'authorization_code':
        return exchangeCode(client.clientId, body);
    case 'refresh_token':
        return refresh(client.clientId, body);
    default:
        return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${body.grant_type ?? ''}`);
    }
}

/**
 * POST /revoke. As at Google, revoking either token of a grant revokes the
 * whole grant: its refresh token and every access token minted from it.
 */
function revoke({ q, body }) {
    const entry = state.tokens.get(q.get('token') || (isObject(body) ? body.token : undefined));

    if (!entry || entry.grant.revoked) {
        return oauthError(400, 'invalid_token', 'Token expired or revoked');
    }
    entry.grant.revoked = true;

    return json(200, {});
}

// ---------------------------------------------------------------- YouTube

/**
 * Keeps only the parts named in ?part=, as Google ignores the others.
 *
 * @returns {object}
 */
function sentParts(body, parts) {
    return Object.fromEntries(parts.filter(p => isObject(body?.[p])).map(p => [ p, body[p] ]));
}

/**
 * A resource with only the requested parts.
 *
 * @returns {object}
 */
function pick(resource, parts) {
    const out = { kind: resource.kind, id: resource.id };

    for (const p of parts) {
        if (p !== 'id' && resource[p] !== undefined) {
            out[p] = resource[p];
        }
    }

    return out;
}

/**
 * Why a title would be refused (YouTube: 1–100 characters, no < or >), or null.
 *
 * @returns {string|null}
 */
function titleProblem(title) {
    if (typeof title !== 'string' || title.trim() === '') {
        return 'title is required';
    }
    if ([ ...title ].length > 100 || /[<>]/.test(title)) {
        return 'title is longer than 100 characters or contains < or >';
    }

    return null;
}

/** The first failing check's reply, or null. */
function firstProblem(checks) {
    for (const [ failed, reason, message ] of checks) {
        if (failed) {
            return apiError(400, reason, message);
        }
    }

    return null;
}

/**
 * The 401 Google gives for a missing, unknown or revoked access token.
 *
 * @returns {object} A reply.
 */
function unauthenticated() {
    const error = { code: 401, message: 'Request had invalid authentication credentials.',
        errors: [ { message: 'Invalid Credentials', domain: 'global', reason: 'authError',
            location: 'Authorization', locationType: 'header' } ], status: 'UNAUTHENTICATED' };

    return json(401, { error },
        { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
}

const missingPart = q => (q.get('part') ? null : apiError(400, 'required', 'Required parameter: part'));

/** POST /liveBroadcasts: also creates the broadcast's video, as YouTube does. */
function insertBroadcast({ q, body }) {
    const parts = partsOf(q);
    const { snippet = {}, status = {}, contentDetails = {} } = sentParts(body, parts);
    const problem = missingPart(q) || firstProblem([
        [ titleProblem(snippet.title), 'invalidTitle', titleProblem(snippet.title) ],
        [ typeof snippet.scheduledStartTime !== 'string' || isNaN(Date.parse(snippet.scheduledStartTime)),
            'invalidScheduledStartTime', 'snippet.scheduledStartTime must be an ISO 8601 date-time' ],
        [ !PRIVACY.includes(status.privacyStatus), 'invalidPrivacyStatus',
            `status.privacyStatus must be one of ${PRIVACY}` ],
        [ typeof contentDetails.enableAutoStart !== 'boolean', 'invalidAutoStart',
            'contentDetails.enableAutoStart must be a boolean' ],
        [ typeof contentDetails.enableAutoStop !== 'boolean', 'invalidAutoStop',
            'contentDetails.enableAutoStop must be a boolean' ]
    ]);

    if (problem) {
        return problem;
    }
    const id = `bc-${next()}`;
    const selfDeclaredMadeForKids = status.selfDeclaredMadeForKids === true;
    const broadcast = {
        kind: 'youtube#liveBroadcast',
        id,
        snippet: { publishedAt: now(), channelId: CHANNEL_ID, description: '', ...snippet,
            isDefaultBroadcast: false, liveChatId: `chat-${id}` },
        status: { lifeCycleStatus: 'created', recordingStatus: 'notRecording', madeForKids: selfDeclaredMadeForKids,
            ...status, selfDeclaredMadeForKids },
        contentDetails: { enableDvr: true, recordFromStart: true, enableClosedCaptions: false,
            latencyPreference: 'normal', monitorStream: { enableMonitorStream: true, broadcastStreamDelayMs: 0 },
            ...contentDetails }
    };

    state.broadcasts.set(id, broadcast);

    // Unlike a broadcast's own defaults, its video starts out not embeddable,
    // which Aula has to fix with videos.update.
    state.videos.set(id, {
        kind: 'youtube#video',
        id,
        snippet: { title: snippet.title, description: snippet.description ?? '', categoryId: '22',
            channelId: CHANNEL_ID, publishedAt: broadcast.snippet.publishedAt, liveBroadcastContent: 'upcoming' },
        status: { privacyStatus: status.privacyStatus, embeddable: false, selfDeclaredMadeForKids,
            license: 'youtube', publicStatsViewable: true }
    });

    return json(200, pick(broadcast, parts));
}

/** POST /liveStreams. */
function insertStream({ q, body }) {
    const parts = partsOf(q);
    const { snippet = {}, cdn = {} } = sentParts(body, parts);
    const problem = missingPart(q) || firstProblem([
        [ titleProblem(snippet.title), 'invalidTitle', titleProblem(snippet.title) ],
        [ cdn.ingestionType !== 'rtmp', 'invalidIngestionType', 'cdn.ingestionType must be rtmp' ],
        [ !RESOLUTIONS.includes(cdn.resolution), 'invalidResolution', `cdn.resolution must be one of ${RESOLUTIONS}` ],
        [ !FRAME_RATES.includes(cdn.frameRate), 'invalidFrameRate', `cdn.frameRate must be one of ${FRAME_RATES}` ]
    ]);

    if (problem) {
        return problem;
    }
    const n = next();
    const stream = {
        kind: 'youtube#liveStream',
        id: `st-${n}`,
        snippet: { publishedAt: now(), channelId: CHANNEL_ID, description: '', ...snippet, isDefaultStream: false },
        cdn: { ...cdn, ingestionInfo: { streamName: `key-${n}-${randomBytes(2).toString('hex')}`,
            ingestionAddress: INGESTION_ADDRESS, backupIngestionAddress: `${INGESTION_ADDRESS}?backup=1`,
            rtmpsIngestionAddress: 'rtmps://a.rtmps.youtube.com/live2' } },
        status: { streamStatus: 'ready', healthStatus: { status: 'noData' } }
    };

    state.streams.set(stream.id, stream);

    return json(200, pick(stream, parts));
}

/** POST /liveBroadcasts/bind; without streamId it unbinds, as at Google. */
function bindBroadcast({ q }) {
    const broadcast = state.broadcasts.get(q.get('id'));
    const streamId = q.get('streamId');

    if (missingPart(q)) {
        return missingPart(q);
    }
    if (!broadcast) {
        return apiError(404, 'liveBroadcastNotFound', `No broadcast ${q.get('id')}`);
    }
    if (streamId && !state.streams.has(streamId)) {
        return apiError(404, 'liveStreamNotFound', `No stream ${streamId}`);
    }
    if (streamId) {
        broadcast.contentDetails.boundStreamId = streamId;
        broadcast.contentDetails.boundStreamLastUpdateTimeMs = now();
    } else {
        delete broadcast.contentDetails.boundStreamId;
    }

    return json(200, pick(broadcast, partsOf(q)));
}

/**
 * A DELETE handler for one store. A broadcast and its video are one thing
 * at YouTube, so deleting either deletes both.
 *
 * @returns {Function}
 */
function deleter(store, reason) {
    return ({ q }) => {
        const id = q.get('id');

        if (!state[store].has(id)) {
            return apiError(404, reason, `No such resource: ${id}`);
        }
        state[store].delete(id);
        if (store !== 'streams') {
            state.broadcasts.delete(id);
            state.videos.delete(id);
        }

        return noContent();
    };
}

const VIDEO_PARTS = [ 'id', 'snippet', 'status' ];
const unknownPart = parts => parts.find(p => !VIDEO_PARTS.includes(p));

/** GET /videos?id=a,b&part=...: unknown ids are left out, as at Google. */
function listVideos({ q }) {
    const parts = partsOf(q);

    if (missingPart(q)) {
        return missingPart(q);
    }
    if (unknownPart(parts)) {
        return apiError(400, 'unknownPart', `The fake does not serve part ${unknownPart(parts)}`);
    }
    const items = (q.get('id') || '').split(',').filter(id => state.videos.has(id))
        .map(id => pick(state.videos.get(id), parts));

    return json(200, { kind: 'youtube#videoListResponse', items,
        pageInfo: { totalResults: items.length, resultsPerPage: items.length } });
}

/**
 * PUT /videos. Google replaces each named part wholesale (a field left out
 * is cleared), so the fake stores exactly what was sent.
 */
function updateVideo({ q, body }) {
    const parts = partsOf(q);
    const sent = sentParts(body, parts);
    const video = state.videos.get(body?.id);
    const writable = parts.filter(p => p !== 'id');
    const problem = missingPart(q) || firstProblem([
        [ unknownPart(parts), 'unknownPart', `The fake does not update part ${unknownPart(parts)}` ],
        [ writable.some(p => !sent[p]), 'invalidVideoMetadata', `The body must contain ${writable}` ],
        [ sent.snippet && titleProblem(sent.snippet.title), 'invalidTitle', titleProblem(sent.snippet?.title) ],
        [ sent.snippet && !/^\d+$/.test(sent.snippet.categoryId ?? ''), 'invalidCategoryId',
            'snippet.categoryId is required' ],
        [ sent.status?.privacyStatus !== undefined && !PRIVACY.includes(sent.status.privacyStatus),
            'invalidPrivacyStatus', `status.privacyStatus must be one of ${PRIVACY}` ]
    ]);

    if (problem) {
        return problem;
    }
    if (!video) {
        return apiError(404, 'videoNotFound', `No video ${body?.id}`);
    }
    Object.assign(video, sent);

    return json(200, pick(video, parts));
}

// ---------------------------------------------------------------- routing

const ROUTES = {
    'GET /auth': authorize,
    'POST /token': token,
    'POST /revoke': revoke,
    [`POST ${YT}/liveBroadcasts`]: insertBroadcast,
    [`DELETE ${YT}/liveBroadcasts`]: deleter('broadcasts', 'liveBroadcastNotFound'),
    [`POST ${YT}/liveBroadcasts/bind`]: bindBroadcast,
    [`POST ${YT}/liveStreams`]: insertStream,
    [`DELETE ${YT}/liveStreams`]: deleter('streams', 'liveStreamNotFound'),
    [`GET ${YT}/videos`]: listVideos,
    [`PUT ${YT}/videos`]: updateVideo,
    [`DELETE ${YT}/videos`]: deleter('videos', 'videoNotFound')
};

/**
 * Takes one use of the first failure rule matching this call, if any.
 *
 * @returns {object|undefined}
 */
function takeFailure(method, target) {
    const rule = state.failures.find(f => target.includes(f.path_contains)
        && (!f.method || f.method.toUpperCase() === method));

    if (rule && --rule.times <= 0) {
        state.failures.splice(state.failures.indexOf(rule), 1);
    }

    return rule;
}

/**
 * The reply for an injected failure, in the shape the endpoint uses for
 * errors; undefined for status 0, which means never answer.
 *
 * @returns {object|undefined}
 */
function failureReply(rule, rest, q) {
    if (rule.status === 0) {
        return undefined;
    }
    if (rest === '/auth') {
        // 302 is how Google reports that the user refused (access_denied).
        return rule.status === 302
            ? redirectBack(q.get('redirect_uri') || 'about:blank',
                { error: rule.reason || 'access_denied', state: q.get('state') || '' })
            : text(rule.status, `Error ${rule.status}: ${rule.reason || 'injected failure'}`);
    }
    if (rest === '/token' || rest === '/revoke') {
        return oauthError(rule.status, rule.reason || 'server_error', 'injected failure');
    }

    return apiError(rule.status, rule.reason, `injected failure${rule.reason ? `: ${rule.reason}` : ''}`);
}

/**
 * Checks a POST /__fail rule, or returns why it is refused.
 *
 * @returns {string|null}
 */
function failRuleProblem(r) {
    if (!isObject(r) || typeof r.path_contains !== 'string' || r.path_contains === '') {
        return 'path_contains must be a non-empty string';
    }
    if (!Number.isInteger(r.status) || (r.status !== 0 && (r.status < 300 || r.status > 599))) {
        return 'status must be 0 (never answer) or 300..599';
    }
    if (r.times !== undefined && (!Number.isInteger(r.times) || r.times < 1)) {
        return 'times must be a positive integer';
    }
    if ([ r.method, r.reason ].some(v => v !== undefined && typeof v !== 'string')) {
        return 'method and reason must be strings';
    }

    return null;
}

/** The test-only endpoints under /__google/__*. */
async function control(req, res, rest) {
    const route = `${req.method === 'HEAD' ? 'GET' : req.method} ${rest}`;

    switch (route) {
    case 'GET /__calls':
        return respond(res, json(200, state.calls));
    case 'GET /__videos':
        return respond(res, json(200, Object.fromEntries(state.videos)));
    case 'POST /__reset':
        // Held requests would otherwise hang until the client gives up.
        state.held.forEach(r => r.destroy());
        state = emptyState();

        return respond(res, noContent());
    case 'POST /__fail': {
        let rule;

        try {
            rule = JSON.parse(await readBody(req));
        } catch (e) {
            return respond(res, json(400, { error: `bad JSON: ${e.message}` }));
        }
        const problem = failRuleProblem(rule);

        if (problem) {
            return respond(res, json(400, { error: problem }));
        }
        state.failures.push({ ...rule, times: rule.times ?? 1 });

        return respond(res, noContent());
    }
    default:
        return respond(res, json(404, { error: `no control endpoint ${route}` }));
    }
}

/**
 * Handles any request under /__google.
 *
 * @param {http.IncomingMessage} req - Request.
 * @param {http.ServerResponse} res - Response.
 * @param {URL} url - Parsed request URL.
 * @returns {Promise<void>}
 */
export async function handleGoogle(req, res, url) {
    const rest = url.pathname.slice(GOOGLE_PREFIX.length);

    if (rest.startsWith('/__')) {
        return control(req, res, rest);
    }
    const q = url.searchParams;
    const body = parseBody(req, await readBody(req));
    const auth = bearer(req);

    state.calls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(q), auth, body });

    const rule = takeFailure(req.method, url.pathname + url.search);

    if (rule) {
        const reply = failureReply(rule, rest, q);

        if (reply) {
            return respond(res, reply);
        }
        state.held.add(res);
        res.on('close', () => state.held.delete(res));

        return;
    }
    // The player the recordings tab embeds: a plain page naming the video, so screenshots show
    // where YouTube's player would be.
    if (req.method === 'GET' && rest.startsWith('/embed/')) {
        const id = rest.slice('/embed/'.length).replace(/[^A-Za-z0-9_-]/g, '');

        return respond(res, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' },
            body: `<!doctype html><body style="margin:0;display:grid;place-items:center;height:100vh;`
                + `background:#111;color:#eee;font:16px system-ui">&#9654; YouTube player stand-in: ${id}</body>` });
    }
    const handler = ROUTES[`${req.method} ${rest}`];

    if (!handler) {
        const known = Object.keys(ROUTES).some(k => k.endsWith(` ${rest}`));

        return respond(res, known ? text(405, 'method not allowed') : text(404, `no fake Google endpoint ${rest}`));
    }
    if (rest.startsWith(`${YT}/`)) {
        const entry = state.tokens.get(auth);

        if (!entry || entry.kind !== 'access' || entry.grant.revoked) {
            return respond(res, unauthenticated());
        }
        if (typeof body === 'string') {
            return respond(res, apiError(400, 'parseError', 'Parse Error'));
        }
    }

    return respond(res, handler({ req, q, body }));
}
