/** @module `/api/pbx-sources`: the PBXs the server follows (secrets go in, never come out). */
import { Router } from 'express';
import type { PbxSources } from '../../services/pbx-sources.ts';
import { unwrap } from '../errors.ts';

export function pbxSourceRoutes(sources: PbxSources): Router {
  const router = Router();
  router.get('/pbx-sources', (_req, res) => { res.json({ items: sources.list() }); });
  router.post('/pbx-sources', async (req, res) => {
    res.status(201).json(unwrap(await sources.add(req.body)));
  });
  router.delete('/pbx-sources/:id', async (req, res) => {
    unwrap(await sources.remove(req.params.id));
    res.status(204).end();
  });
  return router;
}
