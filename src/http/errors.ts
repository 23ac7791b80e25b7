/** @module The one HTTP-facing error and the middleware that answers every failure with a 4xx/5xx JSON body. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

export const notFound: RequestHandler = function notFound(_req, _res, next) {
  next(new HttpError(404, 'not_found', 'no such route'));
};

/**
 * Body-parser errors carry `status`/`type` (413 entity.too.large, 400 entity.parse.failed…): they
 * are the client's fault and answered as such. Anything else is our bug: logged, answered 500.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return function errorHandler(err: unknown, req, res, _next) {
    const e = toHttpError(err);
    if (e.status >= 500) log.error({ err, path: req.path, method: req.method }, 'request failed');
    if (res.headersSent) return;
    // Typed explicitly: a handler that failed half-way (a static file's bad Range) may have set its own type.
    res.status(e.status).type('application/json').json({ error: { code: e.code, message: e.message } });
  };
}

export function toHttpError(err: unknown): HttpError {
  if (isHttpError(err)) return err;
  const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
  if (status >= 400 && status < 500) {
    const type = typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string' ? err.type : 'bad_request';
    return new HttpError(status, type.replace(/\./g, '_'), status === 413 ? 'request body too large' : 'malformed request', { cause: err });
  }
  return new HttpError(500, 'internal', 'internal error', { cause: err });
}
