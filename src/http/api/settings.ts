/**
 * @module `GET`/`PUT /api/settings` (admins): the server settings that may be kept in the data dir,
 * where each value comes from (env, saved, default), secrets never shown; every change audited.
 */
import { Router } from 'express';
import type { Audit } from '../../services/audit.ts';
import type { Settings, SettingsChange } from '../../services/settings.ts';
import { principalOf } from './auth/principal.ts';
import { audited } from './auth/audit-trail.ts';
import { HttpError, unwrap } from '../errors.ts';

export interface SettingsRouteDeps {
  settings: Settings;
  audit: Audit;
  now: () => Date;
}

export function settingsRoutes(deps: SettingsRouteDeps): Router {
  const router = Router();
  const answer = () => ({ items: deps.settings.view(), ignored: deps.settings.ignored() });

  router.get('/settings', (_req, res) => {
    res.json(answer());
  });

  router.put('/settings', async (req, res) => {
    const body: unknown = req.body;
    const values = typeof body === 'object' && body !== null && 'values' in body ? body.values : undefined;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new HttpError(400, 'invalid', 'values: expected an object such as {"retentionDays": "30"} (null forgets a saved value)');
    }
    const result = await deps.settings.update(values as SettingsChange, principalOf(req).name, deps.now().toISOString());
    const { changed, restart } = unwrap(result);
    if (changed.length > 0) {
      // Names only: a secret's value never goes into the trail.
      await audited(req, deps.audit, {
        action: 'settings.update', target: { type: 'settings', id: changed.join(',') },
        details: { keys: changed.join(','), restartNeeded: restart.join(',') || null },
      });
    }
    res.json({ ...answer(), changed, restartNeeded: restart });
  });
  return router;
}
