// Replies, request parsing and the two error shapes (YouTube API and OAuth)
// of the fake Google (see index.mjs).

const MAX_BODY = 5 * 1024 * 1024;
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const TEXT_TYPE = { 'Content-Type': 'text/plain; charset=utf-8' };

// ---------------------------------------------------------------- replies

/**
 * A JSON reply.
 *
 * @returns {{status: number, body: string, headers: object}}
 */
export const json = (status, obj, headers = {}) =>
    ({ status, body: JSON.stringify(obj), headers: { ...JSON_TYPE, ...headers } });
export const text = (status, s) => ({ status, body: `${s}\n`, headers: TEXT_TYPE });
export const noContent = () => ({ status: 204, body: '', headers: {} });

const API_STATUS = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND', 409: 'ABORTED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
const DEFAULT_REASON = { 400: 'badRequest', 401: 'authError', 403: 'forbidden', 404: 'notFound',
    409: 'conflict', 429: 'rateLimitExceeded', 500: 'backendError', 503: 'backendError' };

/**
 * An error in the YouTube Data API's shape, which Aula parses for `reason`.
 *
 * @returns {object} A reply.
 */
export function apiError(status, reason = DEFAULT_REASON[status] || 'error', message = reason) {
    const error = { code: status, message, errors: [ { message, domain: 'youtube.api', reason } ] };

    if (API_STATUS[status]) {
        error.status = API_STATUS[status];
    }

    return json(status, { error });
}

export const oauthError = (status, error, description) =>
    json(status, description === undefined ? { error } : { error, error_description: description });

/**
 * Writes a reply.
 *
 * @returns {void}
 */
export function respond(res, { status, body, headers }) {
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
export function readBody(req) {
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

export const isForm = req => /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] || '');

/**
 * Parses a body as a form (by Content-Type) or JSON. A body that is neither
 * stays a string, so the call log still shows what was sent.
 *
 * @returns {object|string|null}
 */
export function parseBody(req, raw) {
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

export const bearer = req => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '')?.[1] ?? null;

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
export function basicCredentials(req) {
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

export const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);
