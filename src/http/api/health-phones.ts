/** @module `GET /api/health/phones`: offline phones (with their teams' misses meanwhile) and likely faults. */
import { Router } from 'express';
import type { PhoneHealth } from '../../services/phone-health.ts';

export interface PhoneHealthRouteDeps {
  phoneHealth: PhoneHealth;
  now: () => Date;
}

export function phoneHealthRoutes(deps: PhoneHealthRouteDeps): Router {
  const router = Router();
  router.get('/health/phones', async (_req, res) => { res.json(await deps.phoneHealth.report(deps.now())); });
  return router;
}
