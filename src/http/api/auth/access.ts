/**
 * @module What each role may reach, and the team scope of what it sees.
 *
 * The route table is an allow-list for managers and agents: a route not listed is for admins only.
 * So a route another part of the server adds later is safe by default; opening it to a role is a
 * line here. Inside the allowed routes, handlers narrow what is shown to the principal's teams.
 */
import type { Request, RequestHandler } from 'express';
import type { Principal, Role } from '../../../services/auth-types.ts';
import type { AuditActor } from '../../../services/audit-types.ts';
import type { Audit } from '../../../services/audit.ts';
import { principalOf } from './principal.ts';
import { clientIp } from '../../client-ip.ts';
import { HttpError } from '../../errors.ts';

type Rule = readonly [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: RegExp, roles: readonly Role[]];

const ANYONE: readonly Role[] = ['admin', 'manager', 'agent'];
const MAC = '[0-9a-f:.\\-]{12,17}';

/** First match wins; paths are relative to `/api`. Admins pass everything. */
export const ACCESS_RULES: readonly Rule[] = [
  ['GET', /^\/session$/i, ANYONE],
  ['DELETE', /^\/session$/i, ANYONE],
  ['GET', /^\/missed-calls\/export$/i, ['manager']],
  ['GET', /^\/missed-calls(\/[^/]+)?$/i, ['manager', 'agent']],
  ['POST', /^\/missed-calls\/[^/]+\/actions$/i, ['manager', 'agent']],
  ['GET', /^\/calls$/i, ['manager', 'agent']],
  ['GET', /^\/reports\/summary$/i, ['manager']],
  ['GET', /^\/teams(\/[^/]+)?$/i, ['manager', 'agent']],
  ['GET', new RegExp(`^/phones(/${MAC})?$`, 'i'), ['manager']],
  ['GET', /^\/contacts(\/[^/]+)?$/i, ['manager', 'agent']],
  // The web dashboard's own reads (dashboard/api.ts): each is scoped to the principal's teams.
  ['GET', /^\/live$/i, ANYONE],
  ['GET', /^\/dashboard\/(teams|screen-preview|vendors)$/i, ['manager', 'agent']],
  ['GET', /^\/dashboard\/phones$/i, ['manager']],
];

export function isAllowed(role: Role, method: string, path: string): boolean {
  if (role === 'admin') return true;
  const m = method === 'HEAD' ? 'GET' : method;
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const rule = ACCESS_RULES.find(([rm, re]) => rm === m && re.test(p));
  return rule !== undefined && rule[2].includes(role);
}

/** The role gate, after `authenticate`: a refusal is answered 403 and kept in the audit trail. */
export function authorize(opts: { audit: Audit }): RequestHandler {
  return async function authorize(req, _res, next) {
    const p = principalOf(req);
    if (isAllowed(p.role, req.method, req.path)) return next();
    await opts.audit.record({
      ...auditContext(req), action: 'access.denied', outcome: 'denied', target: null, team: null, subject: null,
      details: { method: req.method, path: req.path.slice(0, 200) },
    });
    next(forbidden(`a ${p.role} may not ${req.method} /api${req.path.slice(0, 100)}`));
  };
}

export function forbidden(message = 'not allowed for this role'): HttpError {
  return new HttpError(403, 'forbidden', message);
}

/** Whether the principal may see a team's (or `ext:` destination's) calls. */
export function seesTeam(p: Principal, team: string): boolean {
  return p.role === 'admin' || p.teams.includes(team);
}

/** 403 unless the principal may see the team. */
export function requireTeam(req: Request, team: string): void {
  if (!seesTeam(principalOf(req), team)) throw forbidden('this record belongs to a team you are not in');
}

/**
 * The teams a list may show: the one asked for (403 if it is not the principal's), else all of the
 * principal's teams, else (admins) everything (null).
 */
export function teamScope(req: Request, requested: string | undefined): readonly string[] | null {
  const p = principalOf(req);
  if (requested !== undefined) {
    if (!seesTeam(p, requested)) throw forbidden(`team ${requested.slice(0, 64)} is not one of yours`);
    return [requested];
  }
  return p.role === 'admin' ? null : p.teams;
}

/**
 * The name recorded as actor of an action: the principal's, except that the admin token may act
 * for a named person (an integration such as a CRM passes `actor`).
 */
export function actorName(req: Request, requested: string | undefined): string {
  const p = principalOf(req);
  return p.kind === 'admin-token' && requested !== undefined ? requested : p.name;
}

/** Who and from where, for an audit entry. */
export function auditContext(req: Request): { actor: AuditActor; ip: string } {
  const p = principalOf(req);
  return { actor: { kind: p.kind, id: p.id, name: p.name, role: p.role }, ip: clientIp(req) };
}
