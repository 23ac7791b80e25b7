/**
 * @module Live updates: one EventSource on `/api/live` for the whole dashboard. Pages subscribe
 * to change events; after any gap (reconnect) they are told to re-read everything, since events
 * sent while the connection was down are not replayed.
 */

/** @typedef {{ kind: 'missed', id: string, team: string, status: string } | { kind: 'missed-removed', id: string } | { kind: 'call', team: string } | { kind: 'phone', mac: string }} LiveEvent */
/** @typedef {'connecting' | 'live' | 'offline'} LiveStatus */

/**
 * @param {{ onEvents: (events: LiveEvent[]) => void, onResync: () => void, onStatus: (s: LiveStatus) => void, onSignedOut: () => void }} handlers
 * @returns {{ close(): void }}
 */
export function connectLive(handlers) {
  /** @type {EventSource | null} */
  let source = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let retry;
  let closed = false;
  let connectedBefore = false;

  const open = () => {
    if (closed) return;
    handlers.onStatus('connecting');
    const es = new EventSource('/api/live');
    source = es;
    es.addEventListener('hello', () => {
      handlers.onStatus('live');
      // Whatever happened while we were away: read it again.
      if (connectedBefore) handlers.onResync();
      connectedBefore = true;
    });
    es.addEventListener('change', (e) => {
      try {
        handlers.onEvents(JSON.parse(/** @type {MessageEvent} */ (e).data).events ?? []);
      } catch {
        handlers.onResync();
      }
    });
    es.addEventListener('end', (e) => {
      const reason = JSON.parse(/** @type {MessageEvent} */ (e).data).reason;
      es.close();
      if (reason === 'signed-out') handlers.onSignedOut();
      else later(5000);
    });
    es.addEventListener('error', () => {
      handlers.onStatus(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
      // The browser retries by itself unless the server refused (401, 503): then we do, slower.
      if (es.readyState === EventSource.CLOSED) later(10_000);
    });
  };
  const later = (/** @type {number} */ ms) => {
    clearTimeout(retry);
    if (!closed) retry = setTimeout(open, ms);
  };

  open();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      source?.close();
    },
  };
}
