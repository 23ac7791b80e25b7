/** @module Who is calling: the vendor from the path, the phone from its token; unknown phones learn nothing. */
import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from 'pino';
import type { Phone } from '../../domain/types.ts';
import type { Store } from '../../store/types.ts';
import { vendorByName } from '../../vendors/index.ts';
import { catchUpWithOthers } from '../../cluster/follow.ts';
import type { VendorAdapter } from '../../vendors/types.ts';
import { clientIp } from '../client-ip.ts';
import { HttpError, isOurFault, setRetryAfter, toHttpError } from '../errors.ts';
import { parseRawQuery } from './raw-query.ts';

export interface PhoneContext {
  vendor: VendorAdapter;
  phone: Phone;
  query: Record<string, string>;
  ip: string;
}

export interface PhoneContextDeps {
  store: Store;
  allowed: (ip: string) => boolean;
}

export async function resolvePhone(req: Request, deps: PhoneContextDeps): Promise<PhoneContext> {
  const vendor = vendorByName(String(req.params['vendor'] ?? ''));
  if (vendor === undefined) throw new HttpError(404, 'unknown_vendor', 'unknown vendor');
  const ip = clientIp(req);
  if (!deps.allowed(ip)) throw new HttpError(403, 'forbidden', 'forbidden');
  const query = parseRawQuery(req.originalUrl);
  if (query === null) throw new HttpError(400, 'bad_query', 'malformed query string');
  const token = query['t'] ?? '';
  let phone = deps.store.phoneByToken(token);
  // Added (or its token rotated) on another instance a moment ago: read what this one has not heard yet.
  if (phone === undefined && token !== '') {
    await catchUpWithOthers(deps.store);
    phone = deps.store.phoneByToken(token);
  }
  // The same answer for a wrong token and for a token used on another vendor's path.
  if (phone === undefined || phone.vendor !== vendor.name) throw new HttpError(403, 'forbidden', 'forbidden');
  return { vendor, phone, query, ip };
}

/** Phones get short plain-text errors, never JSON or stack traces. */
export function phoneErrorHandler(log: Logger): ErrorRequestHandler {
  return function phoneErrorHandler(err: unknown, req, res, _next) {
    const e = toHttpError(err);
    if (isOurFault(e)) log.error({ err, path: req.path }, 'phone request failed');
    else log.debug({ status: e.status, code: e.code, path: req.path }, 'phone request refused');
    if (res.headersSent) return;
    setRetryAfter(res, e);
    res.status(e.status).type('text/plain').send(e.status === 403 ? '' : e.message);
  };
}
