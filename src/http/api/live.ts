/**
 * @module `GET /api/live`: Server-Sent Events telling the dashboard what changed (a call came in,
 * an entry was settled, a phone was seen), so its lists update without a reload.
 *
 * An event names only ids and teams; the dashboard re-reads through the API. Each stream re-checks
 * its credential on every event and heartbeat (a logout, revoked token or disabled user ends it),
 * hears only its principal's teams, and is dropped when it falls behind instead of buffering.
 */
import { Router, type Request } from 'express';
import { teamsOfPhone } from '../../domain/destination.ts';
import type { Auth } from '../../services/auth.ts';
import type { Principal } from '../../services/auth-types.ts';
import type { LiveEvent, LiveFeed } from '../../services/live-feed.ts';
import type { Store } from '../../store/types.ts';
import { seesTeam } from './auth/access.ts';
import { principalOf } from './auth/principal.ts';
import { sessionCookie } from './auth/cookies.ts';
import { HttpError } from '../errors.ts';

export interface LiveRouteDeps {
  /** Absent: the stream only sends heartbeats (an app built without the call log's feed). */
  feed: LiveFeed | undefined;
  auth: Auth;
  store: Store;
  /** Heartbeat period; proxies close connections idle for about a minute. */
  heartbeatMs?: number;
  /** Most streams open at once; more are answered 503 (the dashboard retries). */
  maxStreams?: number;
}

/** A stream whose unsent output grows past this is too slow: it is closed, and reconnects later. */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** How long the browser waits before reconnecting (EventSource `retry`). */
const RETRY_MS = 3000;

export function liveRoutes(deps: LiveRouteDeps): Router {
  const router = Router();
  const heartbeatMs = deps.heartbeatMs ?? 25_000;
  const maxStreams = deps.maxStreams ?? 200;
  let open = 0;

  router.get('/live', (req, res) => {
    // HEAD gets the stream's headers and an end: an open HEAD answer would hold the connection forever.
    if (req.method === 'HEAD') return void res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' }).end();
    if (open >= maxStreams) {
      res.set('Retry-After', '10');
      throw new HttpError(503, 'busy', 'too many live streams open; try again shortly');
    }
    open += 1;
    let principal: Principal = principalOf(req);
    const recheck = credentialCheck(req, deps.auth);

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // nginx and similar proxies would otherwise hold events back in their buffers.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\nevent: hello\ndata: ${JSON.stringify({ role: principal.role })}\n\n`);

    let ended = false;
    const end = (reason: string | null) => {
      if (ended) return;
      ended = true;
      open -= 1;
      clearInterval(timer);
      stopListening();
      stopClosing();
      if (reason !== null && !res.writableEnded) res.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      else if (!res.writableEnded) res.end();
    };
    /** Still allowed to listen? Rights are read afresh, as every API request reads them. */
    const stillValid = (): boolean => {
      const p = recheck();
      if (p === null) {
        end('signed-out');
        return false;
      }
      principal = p;
      return true;
    };
    const send = (text: string) => {
      if (ended) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) return end(null);
      res.write(text);
    };

    const stopListening = deps.feed?.subscribe((events) => {
      if (ended || !stillValid()) return;
      const visible = events.filter((e) => visibleTo(e, principal, deps.store));
      if (visible.length === 0) return;
      // No `id:`: missed events are not replayed; after a reconnect the dashboard re-reads instead.
      send(`event: change\ndata: ${JSON.stringify({ events: visible })}\n\n`);
    }) ?? (() => undefined);
    const stopClosing = deps.feed?.onClose(() => end('server-stopping')) ?? (() => undefined);
    const timer = setInterval(() => { if (stillValid()) send(': ping\n\n'); }, heartbeatMs);
    timer.unref();
    // The response closes when the browser goes away (or we end it); the request may close earlier.
    res.on('close', () => end(null));
  });

  return router;
}

// --- Internal helpers ---

/** Re-reads the request's credential (bearer token or session cookie) into its current principal. */
function credentialCheck(req: Request, auth: Auth): () => Principal | null {
  const header = req.get('authorization');
  if (header !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    return () => (token === undefined ? null : auth.bearer(token));
  }
  const cookie = sessionCookie(req);
  return () => (cookie === null ? null : auth.session(cookie));
}

function visibleTo(e: LiveEvent, p: Principal, store: Store): boolean {
  switch (e.kind) {
    case 'missed':
    case 'call':
      return seesTeam(p, e.team);
    case 'missed-removed':
      // The entry is gone, so its team is unknown; an id alone tells nothing about a caller.
      return true;
    case 'phone': {
      if (p.role === 'admin') return true;
      if (p.role === 'agent') return false;
      const phone = store.phone(e.mac);
      return phone !== undefined && teamsOfPhone(phone, store.teams()).some((t) => seesTeam(p, t.id));
    }
  }
}
