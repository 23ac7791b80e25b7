/**
 * @module The management side of the API in one place for `createApp`: login and sessions, the
 * role gate, the audit trail, tokens and users, contacts, reports, exports and privacy requests.
 *
 * Mount order inside `/api`: `login` (before any credential is needed), `guard` (who is asking,
 * may they, and the catch-all audit), the JSON body parser, then `routes` (before the missed-call
 * routes: `/missed-calls/export` must not be read as an id).
 */
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ContactMatch } from '../domain/contacts.ts';
import { createAudit, type Audit } from '../services/audit.ts';
import { auditedCallLog } from '../services/audited-call-log.ts';
import { createAuth, type Auth } from '../services/auth.ts';
import type { CallLog } from '../services/call-log.ts';
import { contactDirectory, createContacts, type ContactDirectory } from '../services/contacts.ts';
import { createPrivacy } from '../services/privacy.ts';
import type { Store } from '../store/types.ts';
import { authorize } from './api-access.ts';
import { authenticate } from './api-auth.ts';
import { auditRequests } from './api-audit-trail.ts';
import { auditRoutes } from './api-audit.ts';
import { contactRoutes } from './api-contacts.ts';
import type { CookieSecurity } from './api-cookies.ts';
import { exportRoutes } from './api-export.ts';
import { privacyRoutes } from './api-privacy.ts';
import { reportRoutes } from './api-reports.ts';
import { loginRoutes, sessionRoutes } from './api-session.ts';
import { tokenRoutes } from './api-tokens.ts';
import { callerPresenter, type CallerPresenter } from './caller-view.ts';

export interface ManagementDeps {
  store: Store;
  log: Logger;
  adminToken: string;
  country: string;
  defaultTimeZone: string;
  publicUrl: string | null;
  now: () => Date;
  /** CRM link template (`{crmId}`, `{number}`, `{digits}`), null = no links. */
  crmUrl: string | null;
  cookieSecurity: CookieSecurity;
}

export interface Management {
  auth: Auth;
  audit: Audit;
  contacts: ContactDirectory;
  present: CallerPresenter;
  login: Router;
  guard: RequestHandler[];
  routes: Router;
  /** The call log to give the phone screens: softkey actions go into the audit trail. */
  phoneCallLog(callLog: CallLog): CallLog;
  /** The contact a caller key matches, for phone screens and notifications. */
  contactOf(callerKey: string): ContactMatch | undefined;
}

export function managementApi(deps: ManagementDeps): Management {
  const { store, now, country } = deps;
  const auth = createAuth({ store, adminToken: deps.adminToken, now });
  const audit = createAudit({ store, now });
  const contacts = createContacts({ store, country, now });
  const present = callerPresenter({ contacts: contacts.directory, crmUrl: deps.crmUrl });
  const cookies = { security: deps.cookieSecurity, publicUrl: deps.publicUrl };
  const session = { auth, audit, cookies, now };
  const reports = { store, present, defaultTimeZone: deps.defaultTimeZone, now };

  const routes = Router();
  routes.use(sessionRoutes(session));
  routes.use(tokenRoutes({ auth, audit }));
  routes.use(contactRoutes({ contacts, audit, country, crmUrl: deps.crmUrl, now }));
  routes.use(reportRoutes(reports));
  routes.use(exportRoutes({ ...reports, audit, country }));
  routes.use(auditRoutes({ audit, country, now }));
  routes.use(privacyRoutes({ privacy: createPrivacy({ store, contacts: contacts.directory, country, now }), audit, now }));

  return {
    auth, audit, contacts: contacts.directory, present, routes,
    login: loginRoutes(session),
    guard: [authenticate({ auth }), authorize({ audit }), auditRequests({ audit, log: deps.log })],
    phoneCallLog: (callLog) => auditedCallLog(callLog, { audit, store }),
    contactOf: (key) => contactDirectory(store).match(key),
  };
}
