/** @module `/api/pbx-sources`: the PBXs the server follows (secrets go in, never come out). */
import { Router } from 'express';
import type { PbxSources } from '../services/pbx-sources.ts';
import { HttpError } from './errors.ts';

export function pbxSourceRoutes(sources: PbxSources): Router {
  const router = Router();
  router.get('/pbx-sources', (_req, res) => { res.json({ items: sources.list() }); });
  router.post('/pbx-sources', async (req, res) => {
    const r = await sources.add(req.body);
    if (!r.ok) throw new HttpError(r.status, r.code, r.message);
    res.status(201).json(r.value);
  });
  router.delete('/pbx-sources/:id', async (req, res) => {
    const r = await sources.remove(req.params.id);
    if (!r.ok) throw new HttpError(r.status, r.code, r.message);
    res.status(204).end();
  });
  return router;
}
