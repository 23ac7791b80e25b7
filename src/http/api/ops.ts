/** @module `/api/time` and `/api/jobs`: is our clock right, and are the scheduled jobs running. */
import { Router } from 'express';
import type { JobInfo } from '../../jobs/scheduler.ts';
import type { LeaseHolder } from '../../cluster/leases.ts';
import type { ClockStatus } from '../../time/index.ts';
import type { Store } from '../../store/types.ts';

export interface OpsDeps {
  store: Store;
  clock: () => ClockStatus;
  jobs: () => JobInfo[];
  /** This instance's name and where each lease is held (several instances on one database); absent in tests that have none. */
  leases?: () => Promise<{ instance: string; leases: LeaseHolder[] }>;
}

export function opsRoutes(deps: OpsDeps): Router {
  const router = Router();
  router.get('/time', (_req, res) => {
    // The phones' own clocks, as far as their events tell (Poly TimeStamp and the like).
    const phones = deps.store.phones().filter((p) => p.clockSkewMs !== null)
      .map((p) => ({ mac: p.mac, label: p.label, skewMs: p.clockSkewMs }));
    res.json({ ...deps.clock(), phones });
  });
  router.get('/jobs', async (_req, res) => {
    const items = deps.jobs();
    res.json({ items, ...(await deps.leases?.()) });
  });
  return router;
}
