// Stand-in for jitsi-meet's `external_api.js` (the Jitsi IFrame API), host side.
//
// Bundled by server.mjs with esbuild into a classic script that defines
// `window.JitsiMeetExternalAPI`. It uses the real transport from
// @jitsi/js-utils (Transport + PostMessageTransportBackend + postis), so the
// `__ready__` handshake and the `{postis:true, scope, method, params}` framing
// on the wire are the real ones.
import { PostMessageTransportBackend, Transport } from '@jitsi/js-utils/transport';

/** API command name -> wire name (same mapping as jitsi-meet's external_api.js). */
const COMMANDS = {
    addBreakoutRoom: 'add-breakout-room',
    answerKnockingParticipant: 'answer-knocking-participant',
    approveVideo: 'approve-video',
    askToUnmute: 'ask-to-unmute',
    autoAssignToBreakoutRooms: 'auto-assign-to-breakout-rooms',
    avatarUrl: 'avatar-url',
    cancelPrivateChat: 'cancel-private-chat',
    closeBreakoutRoom: 'close-breakout-room',
    displayName: 'display-name',
    e2eeKey: 'e2ee-key',
    email: 'email',
    endConference: 'end-conference',
    grantModerator: 'grant-moderator',
    grantRecordingConsent: 'grant-recording-consent',
    hangup: 'video-hangup',
    hideNotification: 'hide-notification',
    initiatePrivateChat: 'initiate-private-chat',
    joinBreakoutRoom: 'join-breakout-room',
    kickParticipant: 'kick-participant',
    localSubject: 'local-subject',
    muteEveryone: 'mute-everyone',
    muteRemoteParticipant: 'mute-remote-participant',
    overwriteConfig: 'overwrite-config',
    overwriteNames: 'overwrite-names',
    password: 'password',
    pinParticipant: 'pin-participant',
    rejectParticipant: 'reject-participant',
    removeBreakoutRoom: 'remove-breakout-room',
    resizeFilmStrip: 'resize-film-strip',
    resizeLargeVideo: 'resize-large-video',
    sendChatMessage: 'send-chat-message',
    sendEndpointTextMessage: 'send-endpoint-text-message',
    sendParticipantToRoom: 'send-participant-to-room',
    sendTones: 'send-tones',
    setAudioOnly: 'set-audio-only',
    setFollowMe: 'set-follow-me',
    setLargeVideoParticipant: 'set-large-video-participant',
    setParticipantVolume: 'set-participant-volume',
    setSubtitles: 'set-subtitles',
    setTileView: 'set-tile-view',
    setVideoQuality: 'set-video-quality',
    setVirtualBackground: 'set-virtual-background',
    showNotification: 'show-notification',
    startRecording: 'start-recording',
    startShareVideo: 'start-share-video',
    stopRecording: 'stop-recording',
    stopShareVideo: 'stop-share-video',
    subject: 'subject',
    submitFeedback: 'submit-feedback',
    toggleAudio: 'toggle-audio',
    toggleCamera: 'toggle-camera',
    toggleChat: 'toggle-chat',
    toggleE2EE: 'toggle-e2ee',
    toggleFilmStrip: 'toggle-film-strip',
    toggleLobby: 'toggle-lobby',
    toggleModeration: 'toggle-moderation',
    toggleParticipantsPane: 'toggle-participants-pane',
    toggleRaiseHand: 'toggle-raise-hand',
    toggleShareScreen: 'toggle-share-screen',
    toggleSubtitles: 'toggle-subtitles',
    toggleTileView: 'toggle-tile-view',
    toggleVideo: 'toggle-video',
    toggleWhiteboard: 'toggle-whiteboard'
};

/** Wire event name -> API event name (same mapping as jitsi-meet's external_api.js). */
const EVENTS = {
    'avatar-changed': 'avatarChanged',
    'audio-availability-changed': 'audioAvailabilityChanged',
    'audio-mute-status-changed': 'audioMuteStatusChanged',
    'breakout-rooms-updated': 'breakoutRoomsUpdated',
    'camera-error': 'cameraError',
    'chat-updated': 'chatUpdated',
    'conference-created-timestamp': 'conferenceCreatedTimestamp',
    'data-channel-opened': 'dataChannelOpened',
    'display-name-change': 'displayNameChange',
    'dominant-speaker-changed': 'dominantSpeakerChanged',
    'email-change': 'emailChange',
    'endpoint-text-message-received': 'endpointTextMessageReceived',
    'error-occurred': 'errorOccurred',
    'incoming-message': 'incomingMessage',
    'knocking-participant': 'knockingParticipant',
    'log': 'log',
    'mic-error': 'micError',
    'moderation-participant-approved': 'moderationParticipantApproved',
    'moderation-participant-rejected': 'moderationParticipantRejected',
    'moderation-status-changed': 'moderationStatusChanged',
    'notification-triggered': 'notificationTriggered',
    'outgoing-message': 'outgoingMessage',
    'participant-joined': 'participantJoined',
    'participant-kicked-out': 'participantKickedOut',
    'participant-left': 'participantLeft',
    'participant-muted': 'participantMuted',
    'participant-role-changed': 'participantRoleChanged',
    'password-required': 'passwordRequired',
    'raise-hand-updated': 'raiseHandUpdated',
    'ready': 'ready',
    'recording-link-available': 'recordingLinkAvailable',
    'recording-status-changed': 'recordingStatusChanged',
    'screen-sharing-status-changed': 'screenSharingStatusChanged',
    'subject-change': 'subjectChange',
    'suspend-detected': 'suspendDetected',
    'tile-view-changed': 'tileViewChanged',
    'transcribing-status-changed': 'transcribingStatusChanged',
    'video-availability-changed': 'videoAvailabilityChanged',
    'video-conference-joined': 'videoConferenceJoined',
    'video-conference-left': 'videoConferenceLeft',
    'video-mute-status-changed': 'videoMuteStatusChanged',
    'video-quality-changed': 'videoQualityChanged',
    'video-ready-to-close': 'readyToClose'
};

/** Internal events that the real API consumes without passing them on. */
const INTERNAL_EVENTS = new Set([
    'local-storage-changed',
    'on-stage-participant-changed',
    'large-video-visibility-changed',
    'on-prejoin-video-changed'
]);

/** Permissions policy of the real iframe (window-management is added on Chromium). */
const IFRAME_ALLOW = [
    'autoplay', 'camera', 'clipboard-write', 'compute-pressure', 'display-capture',
    'fullscreen', 'hid', 'microphone', 'screen-wake-lock', 'speaker-selection'
];

/**
 * Scheme used when `noSSL` is not given. The real API always uses https; the
 * stand-in only speaks plain HTTP, so by default it follows the scheme this
 * script itself was loaded with (https for a script loaded over https).
 */
const SCRIPT_SCHEME = (() => {
    try {
        const src = document.currentScript && document.currentScript.src;

        return src ? new URL(src).protocol.replace(':', '') : 'https';
    } catch (e) {
        return 'https';
    }
})();

/** Per-page instance counter; the first API instance gets id 0. */
let nextId = 0;

/**
 * Converts a width/height option to a CSS length (number = px).
 *
 * @param {number|string} value - The option value.
 * @returns {string|undefined}
 */
function sizeToCss(value) {
    if (typeof value === 'number') {
        return `${value}px`;
    }
    if (typeof value === 'string' && /([0-9]*\.?[0-9]+)(em|pt|px|((d|l|s)?v)(h|w)|%)$/.test(value)) {
        return value;
    }

    return undefined;
}

/**
 * Appends `prefix.key=<encodeURIComponent(JSON.stringify(value))>` pairs.
 *
 * @param {string[]} parts - Output list.
 * @param {string} prefix - e.g. 'config'.
 * @param {Object} obj - Values.
 * @returns {void}
 */
function pushHashParams(parts, prefix, obj) {
    if (!obj || typeof obj !== 'object') {
        return;
    }
    for (const [ key, value ] of Object.entries(obj)) {
        if (typeof value === 'undefined') {
            continue;
        }
        parts.push(`${prefix}.${key}=${encodeURIComponent(JSON.stringify(value))}`);
    }
}

/**
 * Builds the iframe URL the way the real API does.
 *
 * @param {string} domain - Meeting server host[:port].
 * @param {number} id - API instance id.
 * @param {Object} o - Options.
 * @returns {string}
 */
function buildUrl(domain, id, o) {
    const scheme = typeof o.noSSL === 'boolean' ? (o.noSSL ? 'http' : 'https') : SCRIPT_SCHEME;
    const room = String(o.roomName || '').split('/')
        .map(encodeURIComponent)
        .join('/');
    const query = [];

    if (o.jwt) {
        query.push(`jwt=${encodeURIComponent(o.jwt)}`);
    }
    if (o.lang) {
        query.push(`lang=${encodeURIComponent(o.lang)}`);
    }
    if (o.release) {
        query.push(`release=${encodeURIComponent(o.release)}`);
    }

    const hash = [ `jitsi_meet_external_api_id=${id}` ];

    pushHashParams(hash, 'config', o.configOverwrite);
    pushHashParams(hash, 'interfaceConfig', o.interfaceConfigOverwrite);
    pushHashParams(hash, 'userInfo', o.userInfo);
    pushHashParams(hash, 'devices', o.devices);

    return `${scheme}://${domain}/${room}${query.length ? `?${query.join('&')}` : ''}#${hash.join('&')}`;
}

/**
 * The stand-in IFrame API class.
 */
class JitsiMeetExternalAPI {
    /**
     * @param {string} domain - Meeting server host[:port].
     * @param {Object} [options] - Options (roomName, width, height, parentNode,
     * configOverwrite, interfaceConfigOverwrite, jwt, lang, userInfo, devices,
     * onload, noSSL, release, sandbox, invitees).
     */
    constructor(domain, options = {}) {
        if (typeof options !== 'object' || options === null) {
            throw new Error('Can\'t parse the arguments!');
        }
        const {
            width = '100%',
            height = '100%',
            parentNode = document.body,
            onload,
            sandbox,
            invitees
        } = options;
        const id = nextId;

        this._id = id;
        this._listeners = new Map();
        this._participants = {};
        this._numberOfParticipants = 0;
        this._myUserID = undefined;
        this._onload = onload;
        this._parentNode = parentNode;
        this._url = buildUrl(domain, id, options);

        const frameName = `jitsiConferenceFrame${id}`;
        const frame = document.createElement('iframe');
        const isChromium = /Chrom(e|ium)/.test(navigator.userAgent);

        frame.allow = (isChromium ? [ ...IFRAME_ALLOW, 'window-management' ] : IFRAME_ALLOW).join('; ');
        frame.name = frameName;
        frame.id = frameName;
        frame.src = this._url;
        frame.setAttribute('allowFullScreen', 'true');
        frame.style.border = '0';
        if (sandbox) {
            frame.sandbox = sandbox;
        }
        this._frame = frame;
        this._setSize(height, width);
        this._frame = parentNode.appendChild(frame);

        this._transport = new Transport({
            backend: new PostMessageTransportBackend({
                postisOptions: {
                    allowedOrigin: new URL(this._url).origin,
                    scope: `jitsi_meet_external_api_${id}`,
                    window: this._frame.contentWindow
                }
            })
        });
        this._setupListeners();
        if (Array.isArray(invitees) && invitees.length > 0) {
            this.invite(invitees);
        }
        nextId++;
    }

    /* ---------------------------------------------------------------- */
    /* Event emitter                                                     */
    /* ---------------------------------------------------------------- */

    /**
     * Adds a listener.
     *
     * @param {string} event - API event name, e.g. 'videoConferenceJoined'.
     * @param {Function} listener - Listener.
     * @returns {JitsiMeetExternalAPI}
     */
    on(event, listener) {
        if (typeof listener !== 'function') {
            throw new TypeError('The "listener" argument must be a function');
        }
        if (!this._listeners.has(event)) {
            this._listeners.set(event, []);
        }
        this._listeners.get(event).push(listener);

        return this;
    }

    /**
     * Alias of on().
     *
     * @returns {JitsiMeetExternalAPI}
     */
    addListener(event, listener) {
        return this.on(event, listener);
    }

    /**
     * Adds a one-shot listener.
     *
     * @returns {JitsiMeetExternalAPI}
     */
    once(event, listener) {
        const wrapper = (...args) => {
            this.off(event, wrapper);
            listener.apply(this, args);
        };

        wrapper.listener = listener;

        return this.on(event, wrapper);
    }

    /**
     * Removes a listener.
     *
     * @returns {JitsiMeetExternalAPI}
     */
    off(event, listener) {
        const list = this._listeners.get(event);

        if (list) {
            const i = list.findIndex(l => l === listener || l.listener === listener);

            if (i !== -1) {
                list.splice(i, 1);
            }
            if (!list.length) {
                this._listeners.delete(event);
            }
        }

        return this;
    }

    /**
     * Alias of off().
     *
     * @returns {JitsiMeetExternalAPI}
     */
    removeListener(event, listener) {
        return this.off(event, listener);
    }

    /**
     * Removes all listeners, or all listeners of one event.
     *
     * @param {string} [event] - Event name.
     * @returns {JitsiMeetExternalAPI}
     */
    removeAllListeners(event) {
        if (typeof event === 'undefined') {
            this._listeners.clear();
        } else {
            this._listeners.delete(event);
        }

        return this;
    }

    /**
     * Calls the listeners of an event.
     *
     * @returns {boolean} Whether there were listeners.
     */
    emit(event, ...args) {
        const list = this._listeners.get(event);

        if (!list || !list.length) {
            return false;
        }
        for (const listener of [ ...list ]) {
            try {
                listener.apply(this, args);
            } catch (e) {
                // Like an EventEmitter, a throwing listener must not break the API;
                // report it asynchronously so it still shows up as a page error.
                setTimeout(() => {
                    throw e;
                });
            }
        }

        return true;
    }

    /**
     * Number of listeners for an event.
     *
     * @returns {number}
     */
    listenerCount(event) {
        return (this._listeners.get(event) || []).length;
    }

    /**
     * Deprecated alias of on().
     *
     * @returns {void}
     */
    addEventListener(event, listener) {
        this.on(event, listener);
    }

    /**
     * Deprecated: adds several listeners from an object {event: listener}.
     *
     * @returns {void}
     */
    addEventListeners(listeners) {
        for (const event of Object.keys(listeners || {})) {
            this.addEventListener(event, listeners[event]);
        }
    }

    /**
     * Deprecated: removes all listeners of an event (as the real one does).
     *
     * @returns {void}
     */
    removeEventListener(event) {
        this.removeAllListeners(event);
    }

    /**
     * Deprecated: removes all listeners of each event in the list.
     *
     * @returns {void}
     */
    removeEventListeners(eventList) {
        (eventList || []).forEach(event => this.removeEventListener(event));
    }

    /* ---------------------------------------------------------------- */
    /* Transport                                                         */
    /* ---------------------------------------------------------------- */

    /**
     * Re-emits meeting events under their API names.
     *
     * @returns {void}
     */
    _setupListeners() {
        this._transport.on('event', ({ name, ...data }) => {
            const userID = data.id;

            switch (name) {
            case 'ready':
                if (typeof this._onload === 'function') {
                    try {
                        this._onload();
                    } catch (e) {
                        setTimeout(() => {
                            throw e;
                        });
                    }
                }
                break;
            case 'video-conference-joined':
                this._myUserID = userID;
                this._participants[userID] = { avatarURL: data.avatarURL };

            // eslint-disable-next-line no-fallthrough
            case 'participant-joined':
                this._participants[userID] = this._participants[userID] || {};
                this._participants[userID].displayName = data.displayName;
                this._participants[userID].formattedDisplayName = data.formattedDisplayName;
                this._numberOfParticipants++;
                break;
            case 'participant-left':
                if (this._participants[userID]) {
                    this._numberOfParticipants--;
                    delete this._participants[userID];
                }
                break;
            case 'display-name-change': {
                const user = this._participants[userID];

                if (user) {
                    user.displayName = data.displayname;
                    user.formattedDisplayName = data.formattedDisplayName;
                }
                break;
            }
            case 'email-change': {
                const user = this._participants[userID];

                if (user) {
                    user.email = data.email;
                }
                break;
            }
            case 'avatar-changed': {
                const user = this._participants[userID];

                if (user) {
                    user.avatarURL = data.avatarURL;
                }
                break;
            }
            case 'video-conference-left':
                if (this._myUserID && this._participants[this._myUserID]) {
                    this._numberOfParticipants--;
                    delete this._participants[this._myUserID];
                }
                break;
            default:
                if (INTERNAL_EVENTS.has(name)) {
                    return true;
                }
            }

            const eventName = EVENTS[name];

            if (eventName) {
                this.emit(eventName, data);

                return true;
            }

            return false;
        });
    }

    /**
     * Sends a command to the meeting: `{name: <wire name>, data: args}`.
     *
     * @param {string} name - API command name, e.g. 'displayName'.
     * @param {...any} args - Arguments.
     * @returns {void}
     */
    executeCommand(name, ...args) {
        if (!(name in COMMANDS)) {
            console.error('Not supported command name.');

            return;
        }
        this._transport.sendEvent({
            data: args,
            name: COMMANDS[name]
        });
    }

    /**
     * Sends several commands; each value is passed as the single argument.
     *
     * @param {Object} commandList - {commandName: argument}.
     * @returns {void}
     */
    executeCommands(commandList) {
        for (const key of Object.keys(commandList || {})) {
            this.executeCommand(key, commandList[key]);
        }
    }

    /**
     * Sends a request and returns its promise.
     *
     * @param {Object} request - {name, ...}.
     * @returns {Promise<any>}
     */
    _request(request) {
        return this._transport.sendRequest(request);
    }

    /** @returns {Promise<Object>} {rooms:[...]} */
    getRoomsInfo(includeHidden = false) {
        return this._request({ name: 'rooms-info', includeHidden });
    }

    /** @returns {Promise<boolean>} */
    isAudioMuted() {
        return this._request({ name: 'is-audio-muted' });
    }

    /** @returns {Promise<boolean>} */
    isVideoMuted() {
        return this._request({ name: 'is-video-muted' });
    }

    /** @returns {Promise<boolean>} */
    isModerationOn(mediaType) {
        return this._request({ name: 'is-moderation-on', mediaType });
    }

    /** @returns {Promise<boolean>} */
    isParticipantForceMuted(participantId, mediaType) {
        return this._request({ name: 'is-participant-force-muted', participantId, mediaType });
    }

    /** @returns {Promise<string>} */
    getSessionId() {
        return this._request({ name: 'session-id' });
    }

    /** @returns {Promise<boolean>} */
    isVisitor() {
        return this._request({ name: 'is-visitor' });
    }

    /** @returns {Promise<any>} */
    getLivestreamUrl() {
        return this._request({ name: 'get-livestream-url' });
    }

    /** @returns {Promise<any>} */
    listBreakoutRooms() {
        return this._request({ name: 'list-breakout-rooms' });
    }

    /** @returns {Promise<any>} */
    invite(invitees) {
        if (!Array.isArray(invitees) || invitees.length === 0) {
            return Promise.reject(new TypeError('Invalid Argument'));
        }

        return this._request({ name: 'invite', invitees });
    }

    /** @returns {void} */
    startRecording(options) {
        this.executeCommand('startRecording', options);
    }

    /** @returns {void} */
    stopRecording(mode, transcription) {
        this.executeCommand('stopRecording', mode, transcription);
    }

    /** @returns {void} */
    pinParticipant(participantId, videoType) {
        this.executeCommand('pinParticipant', participantId, videoType);
    }

    /** @returns {void} */
    setLargeVideoParticipant(participantId, videoType) {
        this.executeCommand('setLargeVideoParticipant', participantId, videoType);
    }

    /** @returns {Array<Object>} Participants known from events (deprecated in the real API). */
    getParticipantsInfo() {
        return Object.keys(this._participants).map(participantId => {
            return { ...this._participants[participantId], participantId };
        });
    }

    /** @returns {number} */
    getNumberOfParticipants() {
        return this._numberOfParticipants;
    }

    /** @returns {string|undefined} */
    getDisplayName(participantId) {
        return (this._participants[participantId] || {}).displayName;
    }

    /** @returns {string|undefined} */
    getEmail(participantId) {
        return (this._participants[participantId] || {}).email;
    }

    /** @returns {string|undefined} */
    getAvatarURL(participantId) {
        return (this._participants[participantId] || {}).avatarURL;
    }

    /** @returns {string[]} */
    getSupportedCommands() {
        return Object.keys(COMMANDS);
    }

    /** @returns {string[]} */
    getSupportedEvents() {
        return Object.values(EVENTS);
    }

    /** @returns {HTMLIFrameElement} */
    getIFrame() {
        return this._frame;
    }

    /**
     * Disposes the transport, drops the listeners and removes the iframe.
     *
     * @returns {void}
     */
    dispose() {
        this.emit('_willDispose');
        this._transport.dispose();
        this.removeAllListeners();
        if (this._frame && this._frame.parentNode) {
            this._frame.parentNode.removeChild(this._frame);
        }
    }

    /**
     * Sets the iframe size.
     *
     * @returns {void}
     */
    _setSize(height, width) {
        const h = sizeToCss(height);
        const w = sizeToCss(width);

        if (h !== undefined) {
            this._height = height;
            this._frame.style.height = h;
        }
        if (w !== undefined) {
            this._width = width;
            this._frame.style.width = w;
        }
    }
}

window.JitsiMeetExternalAPI = JitsiMeetExternalAPI;
