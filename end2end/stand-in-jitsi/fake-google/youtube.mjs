// The fake YouTube Data API v3: liveBroadcasts (insert, bind, delete),
// liveStreams (insert, delete) and videos (list, update, delete), under
// /__google/youtube/v3 (see index.mjs and README.md, "YouTube").
import { randomBytes } from 'node:crypto';

import { apiError, isObject, json, noContent } from './http.mjs';
import { next, state } from './state.mjs';

export const YT = '/youtube/v3';
const INGESTION_ADDRESS = 'rtmp://a.rtmp.youtube.com/live2';
const CHANNEL_ID = 'UC-fake-channel';
const PRIVACY = [ 'public', 'unlisted', 'private' ];
const RESOLUTIONS = [ '240p', '360p', '480p', '720p', '1080p', '1440p', '2160p', 'variable' ];
const FRAME_RATES = [ '30fps', '60fps', 'variable' ];

const partsOf = q => (q.get('part') || '').split(',').map(s => s.trim()).filter(Boolean);
const now = () => new Date().toISOString();

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
export function unauthenticated() {
    const error = { code: 401, message: 'Request had invalid authentication credentials.',
        errors: [ { message: 'Invalid Credentials', domain: 'global', reason: 'authError',
            location: 'Authorization', locationType: 'header' } ], status: 'UNAUTHENTICATED' };

    return json(401, { error },
        { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
}

const missingPart = q => (q.get('part') ? null : apiError(400, 'required', 'Required parameter: part'));

/** POST /liveBroadcasts: also creates the broadcast's video, as YouTube does. */
export function insertBroadcast({ q, body }) {
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
export function insertStream({ q, body }) {
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
export function bindBroadcast({ q }) {
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
export function deleter(store, reason) {
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
export function listVideos({ q }) {
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
export function updateVideo({ q, body }) {
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
