/**
 * @module Front routes: the few requests phones send most, answered before the Express stack with
 * Express's own answers (see event-front.ts and list-front.ts). A front route takes a request whole
 * or leaves it untouched, and whatever it leaves Express answers as always.
 */
import express, { type Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { phoneErrorHandler } from './context.ts';

/** Takes a request whole (true) or leaves it untouched to Express (false). */
export type FrontRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * A failure after a front route took a request (a full disk: 503 with Retry-After), answered by the
 * phone routes' own error handler in an Express app with the main app's settings: the same bytes.
 */
export function failureAnswer(log: Logger): (req: IncomingMessage, res: ServerResponse, err: unknown) => void {
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
