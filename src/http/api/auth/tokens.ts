/**
 * @module `/api/tokens` and `/api/users` (admins only, by the access table): API tokens with a role
 * and teams, and the dashboard's users. A token is shown once, in the answer that creates it.
 */
import { Router } from 'express';
import type { Audit } from '../../../services/audit.ts';
import type { Auth } from '../../../services/auth.ts';
import { principalOf } from './principal.ts';
import { audited } from './audit-trail.ts';
import { HttpError, unwrap } from '../../errors.ts';

export interface TokenRouteDeps {
  auth: Auth;
  audit: Audit;
}

export function tokenRoutes(deps: TokenRouteDeps): Router {
  const { auth, audit } = deps;
  const router = Router();

  router.get('/tokens', (_req, res) => { res.json({ items: auth.tokens() }); });
  router.post('/tokens', async (req, res) => {
    const { token, record } = unwrap(await auth.createToken(req.body, principalOf(req).name));
    await audited(req, audit, {
      action: 'token.create', target: { type: 'token', id: record.id },
      details: { name: record.name, role: record.role, teams: record.teams.join(','), numbers: record.numbers },
    });
    res.status(201).set('Cache-Control', 'no-store').json({ ...record, token });
  });
  router.delete('/tokens/:id', async (req, res) => {
    const record = unwrap(await auth.revokeToken(req.params.id));
    await audited(req, audit, { action: 'token.revoke', target: { type: 'token', id: record.id }, details: { name: record.name, role: record.role } });
    res.status(204).end();
  });

  router.get('/users', (_req, res) => { res.json({ items: auth.users() }); });
  router.get('/users/:id', (req, res) => {
    const user = auth.user(req.params.id);
    if (user === undefined) throw new HttpError(404, 'not_found', 'no such user');
    res.json(user);
  });
  router.post('/users', async (req, res) => {
    const user = unwrap(await auth.createUser(req.body));
    await audited(req, audit, {
      action: 'user.create', target: { type: 'user', id: user.id },
      details: { login: user.login, role: user.role, teams: user.teams.join(','), numbers: user.numbers },
    });
    res.status(201).json(user);
  });
  router.patch('/users/:id', async (req, res) => {
    const user = unwrap(await auth.updateUser(req.params.id, req.body));
    const fields = typeof req.body === 'object' && req.body !== null ? Object.keys(req.body as object).sort().join(',') : '';
    await audited(req, audit, {
      action: 'user.update', target: { type: 'user', id: user.id },
      details: { fields, role: user.role, teams: user.teams.join(','), disabled: user.disabled },
    });
    res.json(user);
  });
  router.delete('/users/:id', async (req, res) => {
    const user = unwrap(await auth.deleteUser(req.params.id));
    await audited(req, audit, { action: 'user.delete', target: { type: 'user', id: user.id }, details: { login: user.login } });
    res.status(204).end();
  });

  return router;
}
