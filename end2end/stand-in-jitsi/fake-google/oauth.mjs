// The fake Google's OAuth 2.0 endpoints: GET /auth, POST /token (with PKCE)
// and POST /revoke (see index.mjs and README.md, "OAuth").
import { createHash } from 'node:crypto';

import { basicCredentials, isForm, isObject, json, oauthError, text } from './http.mjs';
import { next, state } from './state.mjs';

const YOUTUBE_SCOPE = 'https://www.googleapis.com/auth/youtube';
const ACCESS_TOKEN_TTL = 3599;

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
export function redirectBack(redirectUri, params) {
    const query = Object.entries(params).map(([ k, v ]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const sep = redirectUri.includes('?') ? '&' : '?';

    return { status: 302, body: '', headers: { Location: `${redirectUri}${sep}${query}` } };
}

/** GET /auth: the consent screen, which the fake always accepts. */
export function authorize({ q }) {
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
export function token({ req, body }) {
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
export function revoke({ q, body }) {
    const entry = state.tokens.get(q.get('token') || (isObject(body) ? body.token : undefined));

    if (!entry || entry.grant.revoked) {
        return oauthError(400, 'invalid_token', 'Token expired or revoked');
    }
    entry.grant.revoked = true;

    return json(200, {});
}
