/**
 * @module The management side of the API in one place for `createApp`: login and sessions, the
 * role gate, the audit trail, tokens and users, contacts, reports, exports and privacy requests.
 * The services come finished from src/compose.ts.
 *
 * Mount order inside `/api`: `login` (before any credential is needed), `guard` (who is asking,
 * may they, and the catch-all audit), the JSON body parser, then `routes` (before the missed-call
 * routes: `/missed-calls/export` must not be read as an id).
 */
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Audit } from '../../services/audit.ts';
import type { Auth } from '../../services/auth.ts';
import type { Contacts } from '../../services/contacts.ts';
import type { Privacy } from '../../services/privacy.ts';
import type { Store } from '../../store/types.ts';
import { authorize } from './auth/access.ts';
import { authenticate } from './auth/principal.ts';
import { auditRequests } from './auth/audit-trail.ts';
import { auditRoutes } from './audit.ts';
import { contactRoutes } from './contacts.ts';
import type { CookieSecurity } from './auth/cookies.ts';
import { exportRoutes } from './export.ts';
import { privacyRoutes } from './privacy.ts';
import { reportRoutes } from './reports.ts';
import { loginRoutes, sessionRoutes } from './auth/session.ts';
import { tokenRoutes } from './auth/tokens.ts';
import { callerPresenter, type CallerPresenter } from './caller-view.ts';
import type { CallerNames } from '../../directory/ldap-names.ts';
import { withDirectoryNames } from '../../directory/merged.ts';

export interface ManagementDeps {
  store: Store;
  log: Logger;
  auth: Auth;
  audit: Audit;
  contacts: Contacts;
  privacy: Privacy;
  country: string;
  defaultTimeZone: string;
  publicUrl: string | null;
  now: () => Date;
  /** CRM link template (`{crmId}`, `{number}`, `{digits}`), null = no links. */
  crmUrl: string | null;
  cookieSecurity: CookieSecurity;
  /** Caller names from the LDAP directory; null = contacts and phone names only. */
  names: CallerNames | null;
}

export interface Management {
  present: CallerPresenter;
  login: Router;
  guard: RequestHandler[];
  routes: Router;
}

export function managementApi(deps: ManagementDeps): Management {
  const { store, now, country, auth, audit, contacts } = deps;
  // Reports, exports and the missed-call API show LDAP names for callers not in the contacts (merged.ts).
  const present = callerPresenter({ contacts: withDirectoryNames(contacts.directory, deps.names ?? undefined), crmUrl: deps.crmUrl, country });
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
  routes.use(privacyRoutes({ privacy: deps.privacy, audit, now }));

  return {
    present, routes,
    login: loginRoutes(session),
    guard: [authenticate({ auth }), authorize({ audit }), auditRequests({ audit, log: deps.log })],
  };
}
