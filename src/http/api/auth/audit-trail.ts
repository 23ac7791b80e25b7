/**
 * @module Putting API requests into the audit trail. Routes that know what they did record a
 * specific entry (`audited`); every other change made through the API (teams, phones, and routes
 * added later) still gets an `api.request` entry naming method, path and status.
 */
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AuditEntry } from '../../../services/audit-types.ts';
import type { Audit } from '../../../services/audit.ts';
import { auditContext } from './access.ts';
import { maybePrincipal } from './principal.ts';

const done = new WeakSet<Request>();
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** This request's audit entry is written (or none is wanted): the catch-all skips it. */
export function markAudited(req: Request): void {
  done.add(req);
}

/** Records a specific entry for this request (durable before the answer) and marks it done. */
export async function audited(req: Request, audit: Audit, entry: Pick<AuditEntry, 'action' | 'details'> & Partial<Pick<AuditEntry, 'outcome' | 'target' | 'team' | 'subject'>>): Promise<AuditEntry> {
  markAudited(req);
  return audit.record({
    ...auditContext(req), outcome: entry.outcome ?? 'ok', target: entry.target ?? null, team: entry.team ?? null,
    subject: entry.subject ?? null, action: entry.action, details: entry.details,
  });
}

/**
 * The catch-all: after a successful unsafe request nobody audited, an `api.request` entry. Written
 * when the answer is finished (the route gives no earlier moment), so unlike specific entries it
 * is not durable before the client sees the answer.
 */
export function auditRequests(opts: { audit: Audit; log: Logger }): RequestHandler {
  return function auditRequests(req, res, next) {
    if (!UNSAFE.has(req.method)) return next();
    const path = req.path.slice(0, 200);
    res.on('finish', () => {
      if (done.has(req) || res.statusCode >= 400 || maybePrincipal(req) === undefined) return;
      opts.audit.record({
        ...auditContext(req), action: 'api.request', outcome: 'ok', target: null, team: null, subject: null,
        details: { method: req.method, path: `/api${path}`, status: res.statusCode },
      }).catch((err: unknown) => opts.log.error({ err }, 'audit: could not record an API request'));
    });
    next();
  };
}
