/** @module The Express app, built from services; no listen() (tests drive it through supertest). */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { CallLog } from './services/call-log.ts';
import type { Inventory } from './services/inventory.ts';
import type { Store } from './store/types.ts';
import type { JobInfo } from './jobs/index.ts';
import type { ClockStatus } from './time/index.ts';
import { opsRoutes } from './http/api-ops.ts';
import type { CookieSecurity } from './http/api-cookies.ts';
import { managementApi } from './http/api-management.ts';
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
import { followUpRoutes } from './http/api-follow-up.ts';
import type { FollowUp } from './services/follow-up.ts';
import { provisionRoutes } from './http/provision.ts';
import { provisioningApiRoutes } from './http/api-provisioning.ts';
import type { Credentials } from './provisioning/http-auth.ts';
import type { Provisioning } from './provisioning/service.ts';
import { dashboardApi } from './http/dashboard-api.ts';
import { dashboardRoutes } from './http/dashboard.ts';
import type { LiveFeed } from './services/live-feed.ts';
import type { Settings } from './services/settings.ts';
import { settingsRoutes } from './http/api-settings.ts';
import { notifyTestRoutes } from './http/api-notify-test.ts';

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
  /** Shared secret of `POST /pbx/webhook`; null = webhook off; a function is asked per request (dashboard settings). */
  webhookSecret: string | null | (() => string | null);
  /** Notify settings and outbox, retention, phone health (issue 6); absent = those routes are off. */
  followUp?: Pick<FollowUp, 'notifier' | 'retention' | 'phoneHealth'> & Partial<Pick<FollowUp, 'senders'>>;
  /** Server settings kept in the data dir (`/api/settings`, issue 15); absent = that route is off. */
  settings?: Settings;
  /** CRM link template (`RINGBACK_CRM_URL`); absent = no links. */
  crmUrl?: string | null;
  /** Secure flag of the dashboard's session cookie (`RINGBACK_COOKIE_SECURE`); absent = auto. */
  cookieSecurity?: CookieSecurity;
  /** The call log's change feed (`onChange`), streamed to the dashboard; absent = no live updates. */
  live?: LiveFeed;
  /** `/provision/` and its admin API (issue 4); absent or without credentials = files off (CSV import stays). */
  provisioning?: { service: Provisioning | null; credentials: Credentials | null; allow: readonly string[] };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.log));

  app.use(healthRoutes(deps.readiness));

  const mgmt = managementApi({
    store: deps.store, log: deps.log, adminToken: deps.adminToken, country: deps.country, defaultTimeZone: deps.defaultTimeZone,
    publicUrl: deps.publicUrl, now: deps.now, crmUrl: deps.crmUrl ?? null, cookieSecurity: deps.cookieSecurity ?? 'auto',
  });

  const allowed = allowList(deps.phoneAllow);
  const phone = express.Router();
  phone.use(phoneEventRoutes({ store: deps.store, allowed, callLog: deps.callLog, now: deps.now }));
  phone.use(phoneScreenRoutes({
    store: deps.store, allowed, callLog: mgmt.phoneCallLog(deps.callLog), now: deps.now, publicUrl: deps.publicUrl,
    defaultTimeZone: deps.defaultTimeZone, contactOf: mgmt.contactOf,
  }));
  phone.use(notFound);
  phone.use(phoneErrorHandler(deps.log));
  app.use('/phone', phone);
  app.use(pbxWebhookRoutes({ callLog: deps.callLog, secret: deps.webhookSecret, now: deps.now }));
  const prov = deps.provisioning;
  if (prov?.service != null) {
    app.use('/provision', provisionRoutes({
      provisioning: prov.service, credentials: prov.credentials, allowed: allowList(prov.allow), log: deps.log, publicUrl: deps.publicUrl, now: deps.now,
    }));
  }

  const api = express.Router();
  // Roles, sessions, CSRF and the audit trail: see api-management.ts for the mount order.
  api.use(mgmt.login);
  api.use(mgmt.guard);
  api.use(express.json({ limit: '256kb' }));
  api.use(mgmt.routes);
  api.use(inventoryRoutes({ store: deps.store, inventory: deps.inventory, publicUrl: deps.publicUrl }));
  api.use(missedRoutes({ store: deps.store, callLog: deps.callLog, country: deps.country, now: deps.now, present: mgmt.present, audit: mgmt.audit }));
  api.use(opsRoutes({ store: deps.store, clock: deps.clock, jobs: deps.jobs }));
  api.use(pbxSourceRoutes(deps.pbxSources));
  api.use(provisioningApiRoutes({ store: deps.store, inventory: deps.inventory, provisioning: prov?.service ?? null, publicUrl: deps.publicUrl }));
  if (deps.followUp !== undefined) api.use(followUpRoutes({ store: deps.store, followUp: deps.followUp, now: deps.now, jobs: deps.jobs }));
  const followUp = deps.followUp;
  if (followUp?.senders !== undefined) {
    api.use(notifyTestRoutes({
      store: deps.store, settings: (id) => followUp.notifier.settings(id), senders: followUp.senders, audit: mgmt.audit, now: deps.now,
    }));
  }
  if (deps.settings !== undefined) api.use(settingsRoutes({ settings: deps.settings, audit: mgmt.audit, now: deps.now }));
  api.use(dashboardApi({
    store: deps.store, auth: mgmt.auth, live: deps.live, now: deps.now, publicUrl: deps.publicUrl, defaultTimeZone: deps.defaultTimeZone,
    contactOf: mgmt.contactOf, phoneHealth: deps.followUp?.phoneHealth,
  }));
  app.use('/api', api);
  app.use(dashboardRoutes());

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
