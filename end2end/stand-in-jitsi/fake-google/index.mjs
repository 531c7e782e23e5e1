// Fake of Google's OAuth 2.0 endpoints and the parts of the YouTube Data API v3
// that Aula uses, for end-to-end tests (see README.md, "Fake Google").
//
// server.mjs hands every path under /__google to handleGoogle(). This module
// routes requests and serves the test controls and the /embed/<id> player
// page; http.mjs has the reply and body helpers, oauth.mjs the OAuth
// endpoints, youtube.mjs the YouTube API and state.mjs the state. All state is
// in memory and lives until POST /__google/__reset or a restart. The fake is
// strict where a real Google would refuse a request (so tests catch requests
// that only work against a lenient fake) and lenient about everything Aula
// cannot get wrong (any client id/secret pair, any redirect URI).
import {
    apiError,
    bearer,
    isObject,
    json,
    noContent,
    oauthError,
    parseBody,
    readBody,
    respond,
    text
} from './http.mjs';
import { authorize, redirectBack, revoke, token } from './oauth.mjs';
import { resetState, state } from './state.mjs';
import {
    YT,
    bindBroadcast,
    deleter,
    insertBroadcast,
    insertStream,
    listVideos,
    unauthenticated,
    updateVideo
} from './youtube.mjs';

export const GOOGLE_PREFIX = '/__google';

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
        resetState();

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
