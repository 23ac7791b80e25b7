/** @module `/healthz` (the process answers) and `/readyz` (store open, clock checked). */
import { Router } from 'express';

export interface Readiness {
  ready: boolean;
  [part: string]: unknown;
}

export function healthRoutes(readiness: () => Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', (_req, res) => {
    const r = readiness();
    res.status(r.ready ? 200 : 503).json({ ...r, status: r.ready ? 'ready' : 'not-ready' });
  });
  return router;
}
