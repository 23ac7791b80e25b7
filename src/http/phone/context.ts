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

/** What identifying a phone reads of a request: the path's vendor segment, the URL (its query) and the peer. */
export interface PhoneRequest {
  vendor: string;
  url: string;
  ip: string;
}

export async function resolvePhone(req: Request, deps: PhoneContextDeps): Promise<PhoneContext> {
  return resolvePhoneRequest({ vendor: String(req.params['vendor'] ?? ''), url: req.originalUrl, ip: clientIp(req) }, deps);
}

/** As resolvePhone, from the parts of a request (the front route for events has no Express request). */
export async function resolvePhoneRequest(req: PhoneRequest, deps: PhoneContextDeps): Promise<PhoneContext> {
  const checked = checkRequest(req, deps);
  let phone = deps.store.phoneByToken(checked.token);
  // Added (or its token rotated) on another instance a moment ago: read what this one has not heard yet.
  if (phone === undefined && checked.token !== '') {
    await catchUpWithOthers(deps.store);
    phone = deps.store.phoneByToken(checked.token);
  }
  return withPhone(checked, phone);
}

/**
 * As resolvePhoneRequest, synchronously and without asking other instances: a token this instance
 * has not heard of is refused here (the front route then leaves the request to Express, which asks).
 */
export function resolveKnownPhone(req: PhoneRequest, deps: PhoneContextDeps): PhoneContext {
  const checked = checkRequest(req, deps);
  return withPhone(checked, deps.store.phoneByToken(checked.token));
}

interface Checked {
  vendor: VendorAdapter;
  query: Record<string, string>;
  ip: string;
  token: string;
}

function checkRequest(req: PhoneRequest, deps: PhoneContextDeps): Checked {
  const vendor = vendorByName(req.vendor);
  if (vendor === undefined) throw new HttpError(404, 'unknown_vendor', 'unknown vendor');
  const { ip } = req;
  if (!deps.allowed(ip)) throw new HttpError(403, 'forbidden', 'forbidden');
  const query = parseRawQuery(req.url);
  if (query === null) throw new HttpError(400, 'bad_query', 'malformed query string');
  return { vendor, query, ip, token: query['t'] ?? '' };
}

function withPhone({ vendor, query, ip }: Checked, phone: Phone | undefined): PhoneContext {
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
