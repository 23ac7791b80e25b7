/** @module The Express app, built from services; no listen() (tests drive it through supertest). */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { CallLog } from './services/call-log.ts';
import type { Inventory } from './services/inventory.ts';
import type { Store } from './store/types.ts';
import type { JobInfo } from './jobs/scheduler.ts';
import type { ClockStatus } from './time/index.ts';
import { opsRoutes, type OpsDeps } from './http/api/ops.ts';
import type { CookieSecurity } from './http/api/auth/cookies.ts';
import { managementApi } from './http/api/management.ts';
import { inventoryRoutes } from './http/api/inventory.ts';
import { missedRoutes } from './http/api/missed.ts';
import { allowList } from './http/client-ip.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { healthRoutes, type Readiness } from './http/health.ts';
import { phoneErrorHandler } from './http/phone/context.ts';
import { phoneEventRoutes } from './http/phone/events.ts';
import { eventFrontRoute } from './http/phone/event-front.ts';
import { inFront } from './http/phone/front-route.ts';
import { listAnswer } from './http/phone/list-answer.ts';
import { listFrontRoute } from './http/phone/list-front.ts';
import { phoneScreenRoutes } from './http/phone/screens.ts';
import { phoneWaitingRoutes } from './http/phone/waiting.ts';
import type { PushService } from './push/service.ts';
import { requestLog } from './http/request-log.ts';
import { pbxWebhookRoutes } from './http/phone/pbx-webhook.ts';
import { pbxSourceRoutes } from './http/api/pbx-sources.ts';
import type { PbxSources } from './services/pbx-sources.ts';
import { followUpRoutes } from './http/api/follow-up.ts';
import type { FollowUp } from './services/follow-up.ts';
import { provisionRoutes } from './http/phone/provision.ts';
import { provisioningApiRoutes } from './http/api/provisioning.ts';
import type { Credentials } from './provisioning/http-auth.ts';
import type { Provisioning } from './provisioning/service.ts';
import { dashboardApi } from './http/dashboard/api.ts';
import { dashboardRoutes } from './http/dashboard/files.ts';
import type { LiveFeed } from './services/live-feed.ts';
import type { Audit } from './services/audit.ts';
import type { Auth } from './services/auth.ts';
import type { Contacts } from './services/contacts.ts';
import type { Privacy } from './services/privacy.ts';
import type { Settings } from './services/settings.ts';
import { settingsRoutes } from './http/api/settings.ts';
import { notifyTestRoutes } from './http/api/notify-test.ts';
import type { CallerNames } from './directory/ldap-names.ts';
import { withDirectoryNames } from './directory/merged.ts';

/** The finished services (src/compose.ts builds each once); the app only routes to them. */
export interface AppServices {
  store: Store;
  callLog: CallLog;
  /** The call log the phone screens act through: softkey actions go into the audit trail. */
  phoneCallLog: CallLog;
  inventory: Inventory;
  live: LiveFeed;
  audit: Audit;
  auth: Auth;
  contacts: Contacts;
  privacy: Privacy;
  /** Notify settings and outbox, retention, phone health (issue 6); the senders for "send a test". */
  followUp: Pick<FollowUp, 'notifier' | 'retention' | 'phoneHealth' | 'senders'>;
  /** Server settings kept in the data dir (`/api/settings`, issue 15). */
  settings: Settings;
  pbxSources: PbxSources;
  /** null = no provisioning credentials: `/provision/` is off (its admin API and CSV import stay). */
  provisioning: Provisioning | null;
  /** Pushes "N missed calls waiting" to team phones' idle screens (issue 14); absent = none. */
  push?: PushService;
  /** Caller names from the LDAP directory (`RINGBACK_LDAP_*`); null = contacts and phone names only. */
  names: CallerNames | null;
}

/** The settings the routes read (from `RINGBACK_*`, see config.ts). */
export interface AppSettings {
  adminToken: string;
  publicUrl: string | null;
  country: string;
  defaultTimeZone: string;
  phoneAllow: readonly string[];
  /** Shared secret of `POST /pbx/webhook`; null = webhook off; a function is asked per request (dashboard settings). */
  webhookSecret: string | null | (() => string | null);
  /** CRM link template (`RINGBACK_CRM_URL`); null = no links. */
  crmUrl: string | null;
  /** Secure flag of the dashboard's session cookie (`RINGBACK_COOKIE_SECURE`). */
  cookieSecurity: CookieSecurity;
  /** `/provision/` credentials and allow-list (issue 4). */
  provision: { credentials: Credentials | null; allow: readonly string[] };
}

export interface AppDeps {
  services: AppServices;
  settings: AppSettings;
  log: Logger;
  now: () => Date;
  readiness: () => Readiness;
  clock: () => ClockStatus;
  jobs: () => JobInfo[];
  /** This instance's name and where each lease is held (`GET /api/jobs`). */
  leases?: OpsDeps['leases'];
}

export function createApp(deps: AppDeps): Express {
  const { services: s, settings, log, now } = deps;
  const { store, callLog } = s;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(log));

  app.use(healthRoutes(deps.readiness));

  const mgmt = managementApi({
    store, log, auth: s.auth, audit: s.audit, contacts: s.contacts, privacy: s.privacy, country: settings.country,
    defaultTimeZone: settings.defaultTimeZone, publicUrl: settings.publicUrl, now, crmUrl: settings.crmUrl, cookieSecurity: settings.cookieSecurity,
    names: s.names,
  });
  // Callers not in the contact list get the LDAP directory's name (contacts win, see directory/merged.ts).
  const named = withDirectoryNames(s.contacts.directory, s.names ?? undefined);
  const contactOf = (callerKey: string) => named.match(callerKey);

  const allowed = allowList(settings.phoneAllow);
  const phone = express.Router();
  phone.use(phoneEventRoutes({ store, allowed, callLog, now }));
  const screens = {
    store, allowed, callLog: s.phoneCallLog, now, publicUrl: settings.publicUrl, defaultTimeZone: settings.defaultTimeZone, contactOf,
  };
  const list = listAnswer(screens);
  phone.use(phoneScreenRoutes(screens, list));
  phone.use(phoneWaitingRoutes({ store, allowed, callLog, now, publicUrl: settings.publicUrl }));
  phone.use(notFound);
  phone.use(phoneErrorHandler(log));
  app.use('/phone', phone);
  app.use(pbxWebhookRoutes({ callLog, secret: settings.webhookSecret, now }));
  if (s.provisioning !== null) {
    app.use('/provision', provisionRoutes({
      provisioning: s.provisioning, credentials: settings.provision.credentials, allowed: allowList(settings.provision.allow), log, publicUrl: settings.publicUrl, now,
    }));
  }

  const api = express.Router();
  // Roles, sessions, CSRF and the audit trail: see api/management.ts for the mount order.
  api.use(mgmt.login);
  api.use(mgmt.guard);
  api.use(express.json({ limit: '256kb' }));
  api.use(mgmt.routes);
  api.use(inventoryRoutes({
    store, inventory: s.inventory, publicUrl: settings.publicUrl, ...(s.push === undefined ? {} : { onPhoneChange: s.push.touchPhone }),
  }));
  const notifier = s.followUp.notifier;
  api.use(missedRoutes({
    store, callLog, country: settings.country, now, present: mgmt.present, audit: s.audit,
    targetOf: (team: string) => notifier.settings(team) ?? notifier.defaults,
    colleagues: {
      users: () => s.auth.users(),
      members: (team: string) => (notifier.settings(team)?.members ?? []).map((m) => m.name),
    },
  }));
  api.use(opsRoutes({ store, clock: deps.clock, jobs: deps.jobs, ...(deps.leases === undefined ? {} : { leases: deps.leases }) }));
  api.use(pbxSourceRoutes(s.pbxSources));
  api.use(provisioningApiRoutes({ store, inventory: s.inventory, provisioning: s.provisioning, publicUrl: settings.publicUrl }));
  api.use(followUpRoutes({ store, followUp: s.followUp, now, jobs: deps.jobs }));
  api.use(notifyTestRoutes({
    store, settings: (id) => s.followUp.notifier.settings(id), senders: s.followUp.senders, audit: s.audit, now,
  }));
  api.use(settingsRoutes({ settings: s.settings, audit: s.audit, now }));
  api.use(dashboardApi({
    store, auth: s.auth, live: s.live, now, publicUrl: settings.publicUrl, defaultTimeZone: settings.defaultTimeZone,
    contactOf, phoneHealth: s.followUp.phoneHealth,
  }));
  app.use('/api', api);
  app.use(dashboardRoutes());

  app.use(notFound);
  app.use(errorHandler(log));
  // Phones' action URLs and list polls are answered before all of the above (same checks, same answers).
  inFront(app, eventFrontRoute({ store, allowed, callLog, now, log }));
  inFront(app, listFrontRoute({ store, allowed, list, publicUrl: settings.publicUrl, log }));
  return app;
}
