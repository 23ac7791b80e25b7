/**
 * @module `GET /api/dashboard/vendors`: the phone brands this server speaks, from the vendor
 * registry, so the dashboard's vendor pickers and names follow a seventh vendor's folder instead of
 * a list copied into the browser code.
 */
import { Router } from 'express';
import { vendors } from '../../vendors/index.ts';

export function dashboardVendorRoutes(): Router {
  const router = Router();
  const items = Object.values(vendors).map((v) => ({ name: v.name, title: v.title }));
  router.get('/dashboard/vendors', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ items });
  });
  return router;
}
