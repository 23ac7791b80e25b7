/**
 * @module Who is asking: a bearer token (the admin token or an API token) or a dashboard session
 * cookie, compared in constant time. Cookie-authenticated requests that change something must also
 * carry the session's CSRF token in `X-CSRF-Token`; bearer requests need none (a browser never
 * adds an Authorization header on its own, so another site cannot make it send one).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Auth } from '../../../services/auth.ts';
import { csrfMatches } from '../../../services/auth.ts';
import type { Principal } from '../../../services/auth-types.ts';
import { sessionCookie } from './cookies.ts';
import { HttpError } from '../../errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Only the admin token passes (kept for routers that need nothing else). */
export function requireAdmin(opts: { token: string }): RequestHandler {
  if (opts.token.length < 16) throw new Error('[ringback] admin token must be at least 16 characters');
  const expected = digest(opts.token);
  return function requireAdmin(req, _res, next) {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    // Hashing first makes the comparison constant-time whatever the lengths.
    if (m?.[1] === undefined || !timingSafeEqual(digest(m[1]), expected)) {
      next(new HttpError(401, 'unauthorized', 'a valid "Authorization: Bearer <token>" header is required'));
      return;
    }
    next();
  };
}

const principals = new WeakMap<Request, Principal>();
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves the principal of every request, or answers 401 (and 403 for a missing CSRF token). */
export function authenticate(opts: { auth: Auth }): RequestHandler {
  return function authenticate(req, _res, next) {
    const header = req.get('authorization');
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const p = m?.[1] === undefined ? null : opts.auth.bearer(m[1]);
      if (p === null) return next(unauthorized());
      principals.set(req, p);
      return next();
    }
    const cookie = sessionCookie(req);
    const p = cookie === null ? null : opts.auth.session(cookie);
    if (p?.session == null) return next(unauthorized());
    if (UNSAFE.has(req.method) && !csrfMatches(req.get('x-csrf-token') ?? '', p.session.csrfToken)) {
      return next(new HttpError(403, 'csrf', 'this request needs the session\'s "X-CSRF-Token" header (see GET /api/session)'));
    }
    principals.set(req, p);
    next();
  };
}

/** The principal `authenticate` found; routes behind it always have one. */
export function principalOf(req: Request): Principal {
  const p = principals.get(req);
  if (p === undefined) throw new Error('[ringback] principalOf: route is not behind authenticate()');
  return p;
}

/** The principal, or undefined for a request that was never authenticated (login, health). */
export function maybePrincipal(req: Request): Principal | undefined {
  return principals.get(req);
}

function unauthorized(): HttpError {
  return new HttpError(401, 'unauthorized', 'a valid "Authorization: Bearer <token>" header or a session cookie is required');
}
