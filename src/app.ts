/** @module The Express app, built from services; no listen() (tests drive it through supertest). */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { CallLog } from './services/call-log.ts';
import type { Inventory } from './services/inventory.ts';
import type { Store } from './store/types.ts';
import type { JobInfo } from './jobs/index.ts';
import type { ClockStatus } from './time/index.ts';
import { opsRoutes } from './http/api-ops.ts';
import { requireAdmin } from './http/api-auth.ts';
import { inventoryRoutes } from './http/api-inventory.ts';
import { missedRoutes } from './http/api-missed.ts';
import { allowList } from './http/client-ip.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { healthRoutes, type Readiness } from './http/health.ts';
import { phoneErrorHandler } from './http/phone-context.ts';
import { phoneEventRoutes } from './http/phone-events.ts';
import { phoneScreenRoutes } from './http/phone-screens.ts';
import { requestLog } from './http/request-log.ts';
import { pbxWebhookRoutes } from './http/pbx-webhook.ts';
import { pbxSourceRoutes } from './http/api-pbx-sources.ts';
import type { PbxSources } from './services/pbx-sources.ts';

export interface AppDeps {
  store: Store;
  callLog: CallLog;
  inventory: Inventory;
  log: Logger;
  adminToken: string;
  publicUrl: string | null;
  country: string;
  defaultTimeZone: string;
  phoneAllow: readonly string[];
  now: () => Date;
  readiness: () => Readiness;
  clock: () => ClockStatus;
  jobs: () => JobInfo[];
  pbxSources: PbxSources;
  /** Shared secret of `POST /pbx/webhook`; null = webhook off. */
  webhookSecret: string | null;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.log));

  app.use(healthRoutes(deps.readiness));

  const allowed = allowList(deps.phoneAllow);
  const phone = express.Router();
  phone.use(phoneEventRoutes({ store: deps.store, allowed, callLog: deps.callLog, now: deps.now }));
  phone.use(phoneScreenRoutes({
    store: deps.store, allowed, callLog: deps.callLog, now: deps.now, publicUrl: deps.publicUrl, defaultTimeZone: deps.defaultTimeZone,
  }));
  phone.use(notFound);
  phone.use(phoneErrorHandler(deps.log));
  app.use('/phone', phone);
  app.use(pbxWebhookRoutes({ callLog: deps.callLog, secret: deps.webhookSecret, now: deps.now }));

  const api = express.Router();
  api.use(requireAdmin({ token: deps.adminToken }));
  api.use(express.json({ limit: '256kb' }));
  api.use(inventoryRoutes({ store: deps.store, inventory: deps.inventory, publicUrl: deps.publicUrl }));
  api.use(missedRoutes({ store: deps.store, callLog: deps.callLog, country: deps.country, now: deps.now }));
  api.use(opsRoutes({ store: deps.store, clock: deps.clock, jobs: deps.jobs }));
  api.use(pbxSourceRoutes(deps.pbxSources));
  app.use('/api', api);

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
