/** @module Bearer tokens for the admin API, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

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
