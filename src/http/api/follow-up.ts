/** @module The follow-up routes in one router: notify settings and outbox, retention, phone health. */
import { Router } from 'express';
import type { JobInfo } from '../../jobs/scheduler.ts';
import type { FollowUp } from '../../services/follow-up.ts';
import type { Store } from '../../store/types.ts';
import { phoneHealthRoutes } from './health-phones.ts';
import { notifyRoutes } from './notify.ts';
import { retentionRoutes } from './retention.ts';

export interface FollowUpRouteDeps {
  store: Store;
  followUp: Pick<FollowUp, 'notifier' | 'retention' | 'phoneHealth'>;
  now: () => Date;
  jobs: () => JobInfo[];
}

export function followUpRoutes(deps: FollowUpRouteDeps): Router {
  const router = Router();
  router.use(notifyRoutes({ store: deps.store, notifier: deps.followUp.notifier, now: deps.now }));
  router.use(retentionRoutes({ retention: deps.followUp.retention, now: deps.now, jobs: deps.jobs }));
  router.use(phoneHealthRoutes({ phoneHealth: deps.followUp.phoneHealth, now: deps.now }));
  return router;
}
