/**
 * @module The front route: phones' action URLs (`GET /phone/<vendor>/event?…`) answered before the
 * Express stack. A desk phone sends one per call state, so they are most of the requests a server
 * gets; Express's per-request work (prototype swaps, the router's layers, the middleware in front
 * of `/phone`) cost more than the event itself (issue 12 item 3). The answers are Express's: the
 * same checks (`acceptEvents`), an empty 200 once the events are durable, the phones' plain-text
 * error answer, the same request log line. Anything the front route does not take whole (another
 * method or spelling of the path, a request the checks refuse) goes to Express as before, which
 * gives the answer it always gave.
 */
import express, { type Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { clientIp } from '../client-ip.ts';
import { logRequest } from '../request-log.ts';
import { phoneErrorHandler, resolveKnownPhone } from './context.ts';
import { acceptEvents, type AcceptedEvents, type EventRequest, type PhoneEventDeps } from './events.ts';

/** Takes a request whole (true) or leaves it untouched to Express (false). */
export type FrontRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The event URL as we write it into phones: lower-case vendor, no trailing slash. */
const EVENT_PATH = /^\/phone\/([a-z]+)\/event(?=\?|$)/;

export function eventFrontRoute(deps: PhoneEventDeps & { log: Logger }): FrontRoute {
  const failed = failureAnswer(deps.log);
  return function phoneEventFront(req, res) {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const vendor = EVENT_PATH.exec(url)?.[1];
    if (vendor === undefined) return false;
    const start = process.hrtime.bigint();
    let accepted: AcceptedEvents;
    try {
      const request: EventRequest = {
        vendor, url, ip: clientIp(req), method: 'GET', body: '',
        headers: { 'user-agent': req.headers['user-agent'], 'content-type': req.headers['content-type'] },
      };
      accepted = acceptEvents(request, resolveKnownPhone(request, deps), deps);
    } catch {
      // Refused before anything was recorded (or a token this instance has not heard of): Express
      // runs the same checks, asks other instances about the token, and answers as always.
      return false;
    }
    const path = `/phone/${vendor}/event`;
    deps.callLog.ingest(accepted.phone, accepted.events, accepted.ip).then(() => {
      res.statusCode = 200;
      res.end();
      logRequest(deps.log, 'GET', path, 200, start);
    }, (err: unknown) => {
      res.once('finish', () => logRequest(deps.log, 'GET', path, res.statusCode, start));
      failed(req, res, err);
    });
    return true;
  };
}

/**
 * A failed ingest (a full disk: 503 with Retry-After) answered by the phone routes' own error
 * handler, in an Express app with the main app's settings, so the bytes are the same.
 */
function failureAnswer(log: Logger): (req: IncomingMessage, res: ServerResponse, err: unknown) => void {
  const errors = new WeakMap<IncomingMessage, unknown>();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, _res, next) => next(errors.get(req)));
  app.use(phoneErrorHandler(log));
  return (req, res, err) => {
    errors.set(req, err);
    app(req, res);
  };
}

/** Puts a front route before the whole Express stack of `app`; what it leaves, `app` handles as before. */
export function inFront(app: Express, front: FrontRoute): void {
  // `app(req, res)` (node's server, supertest, a mount) calls `app.handle`, which @types/express
  // does not declare; wrapping it puts the front route in every way the app is served.
  const entry = app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
  const handle = entry.handle.bind(app);
  entry.handle = (req, res, next) => {
    if (!front(req, res)) handle(req, res, next);
  };
}
