/** @module `GET /api/retention`: how long call data is kept, the oldest day still kept, the last run. */
import { Router } from 'express';
import type { JobInfo } from '../../jobs/scheduler.ts';
import type { Retention } from '../../services/retention.ts';

export interface RetentionRouteDeps {
  retention: Retention;
  now: () => Date;
  jobs: () => JobInfo[];
}

export function retentionRoutes(deps: RetentionRouteDeps): Router {
  const router = Router();
  router.get('/retention', async (_req, res) => {
    const job = deps.jobs().find((j) => j.name === 'retention');
    res.json({ ...await deps.retention.status(deps.now()), nextRun: job?.nextRun ?? null });
  });
  return router;
}
