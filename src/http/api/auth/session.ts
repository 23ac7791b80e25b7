/**
 * @module `/api/session`: the dashboard's login (password or token) into an HttpOnly cookie, who
 * am I (with the CSRF token the dashboard's scripts send back), and logout.
 *
 * Login takes JSON only: a cross-site HTML form cannot send `application/json`, so no other site
 * can log a browser into an account of its choosing. Failed logins are throttled per address and
 * per login name.
 */
import express, { Router, type Request } from 'express';
import type { Audit } from '../../../services/audit.ts';
import type { Auth } from '../../../services/auth.ts';
import type { Principal } from '../../../services/auth-types.ts';
import { auditContext } from './access.ts';
import { principalOf } from './principal.ts';
import { clearSessionCookie, setSessionCookie, type CookieOptions } from './cookies.ts';
import { markAudited } from './audit-trail.ts';
import { clientIp } from '../../client-ip.ts';
import { HttpError, unwrap } from '../../errors.ts';

export interface SessionDeps {
  auth: Auth;
  audit: Audit;
  cookies: CookieOptions;
  now: () => Date;
}

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_IP = 20;
const MAX_FAILURES_PER_LOGIN = 5;

/** What a session (or any principal) looks like to the dashboard. Never a credential besides the CSRF token. */
export function principalView(p: Principal) {
  return {
    kind: p.kind, id: p.id, name: p.name, role: p.role, teams: p.teams, numbers: p.numbers,
    csrfToken: p.session?.csrfToken ?? null, expiresAt: p.session?.expiresAt ?? null,
  };
}

/** `POST /api/session`: mounted before `authenticate`. */
export function loginRoutes(deps: SessionDeps): Router {
  const router = Router();
  const failures = new Map<string, { count: number; since: number }>();
  const throttled = (key: string, max: number, now: number) => {
    const f = failures.get(key);
    return f !== undefined && now - f.since < WINDOW_MS && f.count >= max;
  };
  const fail = (key: string, now: number) => {
    const f = failures.get(key);
    if (f === undefined || now - f.since >= WINDOW_MS) failures.set(key, { count: 1, since: now });
    else f.count += 1;
    if (failures.size > 10_000) for (const [k, v] of failures) if (now - v.since >= WINDOW_MS) failures.delete(k);
  };

  router.post('/session', express.json({ limit: '8kb' }), async (req, res) => {
    if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the login as application/json');
    const now = deps.now().getTime();
    const ip = clientIp(req);
    const body: unknown = req.body;
    const login = typeof body === 'object' && body !== null && 'login' in body && typeof body.login === 'string'
      ? body.login.trim().toLowerCase().slice(0, 64) : null;
    if (throttled(`ip:${ip}`, MAX_FAILURES_PER_IP, now) || (login !== null && throttled(`login:${login}`, MAX_FAILURES_PER_LOGIN, now))) {
      res.set('Retry-After', String(WINDOW_MS / 1000));
      throw new HttpError(429, 'too_many_attempts', 'too many failed logins; try again in 15 minutes');
    }
    const session = unwrap(await deps.auth.login(body));
    if (session === null) {
      fail(`ip:${ip}`, now);
      if (login !== null) fail(`login:${login}`, now);
      await deps.audit.record({
        actor: { kind: 'anonymous', id: null, name: login ?? 'token', role: null }, ip, action: 'session.login', outcome: 'failed',
        target: null, team: null, subject: null, details: { method: login === null ? 'token' : 'password' },
      });
      throw new HttpError(401, 'invalid_credentials', 'wrong login, password or token');
    }
    const { cookie, principal } = session;
    const expiresAt = principal.session?.expiresAt ?? deps.now().toISOString();
    setSessionCookie(req, res, cookie, (Date.parse(expiresAt) - now) / 1000, deps.cookies);
    await deps.audit.record({
      actor: { kind: principal.kind, id: principal.id, name: principal.name, role: principal.role }, ip, action: 'session.login',
      outcome: 'ok', target: null, team: null, subject: null, details: { method: login === null ? 'token' : 'password' },
    });
    res.set('Cache-Control', 'no-store').json(principalView(principal));
  });

  return router;
}

/** `GET /api/session` (who am I, any credential) and `DELETE /api/session` (logout); behind `authenticate`. */
export function sessionRoutes(deps: SessionDeps): Router {
  const router = Router();
  router.get('/session', (req, res) => { res.set('Cache-Control', 'no-store').json(principalView(principalOf(req))); });
  router.delete('/session', async (req: Request, res) => {
    const p = principalOf(req);
    if (p.session !== null) {
      await deps.auth.logout(p.session.id);
      clearSessionCookie(req, res, deps.cookies);
      await deps.audit.record({ ...auditContext(req), action: 'session.logout', outcome: 'ok', target: null, team: null, subject: null, details: {} });
    }
    markAudited(req);
    res.status(204).end();
  });
  return router;
}
