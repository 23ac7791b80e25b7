/**
 * @module The one HTTP-facing error, the one place a service's failure code becomes a status, and
 * the middleware that answers every failure with a 4xx/5xx JSON body.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Failure, FailureCode, Result } from '../domain/result.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: string;
  /** Sent as Retry-After (seconds) with a 503. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The status each failure code of a service answers with. */
const STATUS_OF: Readonly<Record<FailureCode, number>> = {
  invalid: 400,
  invalid_csv: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  replayed: 409,
  exists: 409,
  number_taken: 409,
  team_in_use: 409,
  set_by_environment: 409,
  from_env: 409,
};

/** The status a failure code answers with (routes that answer phones with an empty body use it directly). */
export function statusOf(code: FailureCode): number {
  return STATUS_OF[code];
}

/** A service's failure as the error a route throws. */
export function failed(f: Failure): HttpError {
  return new HttpError(STATUS_OF[f.code], f.code, f.message);
}

/** The value of a service's result; its failure is thrown as the matching HttpError. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw failed(r);
  return r.value;
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
    if (isOurFault(e)) log.error({ err, path: req.path, method: req.method }, 'request failed');
    // A download that fails half-way (a history read of an export) is cut, so the client sees it fail.
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    setRetryAfter(res, e);
    // Typed explicitly: a handler that failed half-way (a static file's bad Range) may have set its own type.
    res.status(e.status).type('application/json').json({ error: { code: e.code, message: e.message } });
  };
}

/** A 5xx that is a bug to log. A 503 (full disk) is logged once by the store, not per refused request. */
export function isOurFault(e: HttpError): boolean {
  return e.status >= 500 && e.status !== 503;
}

/** Every handler answering an error calls this: a 503 says when to come back. */
export function setRetryAfter(res: Response, e: HttpError): void {
  if (e.retryAfterSeconds !== undefined) res.set('Retry-After', String(e.retryAfterSeconds));
}

export function toHttpError(err: unknown): HttpError {
  if (isHttpError(err)) return err;
  if (isStoreUnavailable(err)) {
    return new HttpError(503, 'store_unavailable', 'the change could not be saved (the server cannot write to its disk or its database); nothing was changed, try again later',
      { cause: err, retryAfterSeconds: err.retryAfterSeconds });
  }
  const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
  if (status >= 400 && status < 500) {
    const type = typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string' ? err.type : 'bad_request';
    return new HttpError(status, type.replace(/\./g, '_'), status === 413 ? 'request body too large' : 'malformed request', { cause: err });
  }
  return new HttpError(500, 'internal', 'internal error', { cause: err });
}
