// In-memory state of the fake Google, shared by its modules (see index.mjs).
// `state` is a live binding: resetState() swaps in a fresh object, and every
// importer sees the new one.

// Never reset, so a token or id minted before a reset can never be confused
// with one minted after it.
let counter = 0;
export const next = () => ++counter;

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

export let state = emptyState();

/** Drops all state (POST /__google/__reset). */
export function resetState() {
    state = emptyState();
}
