/**
 * @module The API routes the web dashboard adds, in one router for `createApp` (mounted inside
 * `/api`, behind authentication and the role table): the live stream, the vendor list, the Teams and Phones
 * overviews and the phone-screen preview. Everything else the dashboard shows comes from the
 * public API, with the same rights as every other client.
 */
import { Router } from 'express';
import type { Auth } from '../../services/auth.ts';
import type { LiveFeed } from '../../services/live-feed.ts';
import type { PhoneHealth } from '../../services/phone-health.ts';
import type { Store } from '../../store/types.ts';
import { liveRoutes } from '../api/live.ts';
import { dashboardOverviewRoutes } from './overview.ts';
import { screenPreviewRoutes, type ScreenPreviewDeps } from './preview.ts';
import { dashboardVendorRoutes } from './vendors.ts';

export interface DashboardApiDeps {
  store: Store;
  auth: Auth;
  /** The call log's change feed; absent = the live stream sends heartbeats only. */
  live: LiveFeed | undefined;
  now: () => Date;
  publicUrl: string | null;
  defaultTimeZone: string;
  contactOf?: ScreenPreviewDeps['contactOf'];
  phoneHealth?: Pick<PhoneHealth, 'report'> | undefined;
}

export function dashboardApi(deps: DashboardApiDeps): Router {
  const router = Router();
  router.use(liveRoutes({ feed: deps.live, auth: deps.auth, store: deps.store }));
  router.use(dashboardVendorRoutes());
  router.use(dashboardOverviewRoutes({ store: deps.store, now: deps.now, phoneHealth: deps.phoneHealth }));
  router.use(screenPreviewRoutes({
    store: deps.store, now: deps.now, publicUrl: deps.publicUrl, defaultTimeZone: deps.defaultTimeZone,
    ...(deps.contactOf === undefined ? {} : { contactOf: deps.contactOf }),
  }));
  return router;
}
