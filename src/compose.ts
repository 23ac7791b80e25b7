/**
 * @module The composition root: every service built once from the configuration, the scheduled
 * jobs as a list, and the Express app on top. `main.ts`, the in-process tests and the benchmark
 * server all start here, so the wiring the tests exercise is the wiring that ships.
 */
import type { Express } from 'express';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createApp, type AppServices } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { isWithinBusinessHours } from './domain/schedule.ts';
import { createJobs, type JobFn, type Jobs } from './jobs/scheduler.ts';
import { templateDirs } from './provisioning/config.ts';
import { createProvisioning, type Provisioning, type ProvisioningDeps } from './provisioning/service.ts';
import { auditRetention, createAudit } from './services/audit.ts';
import { auditedCallLog } from './services/audited-call-log.ts';
import { createAuth } from './services/auth.ts';
import { createCallLog } from './services/call-log.ts';
import { createContacts } from './services/contacts.ts';
import { createFollowUp } from './services/follow-up.ts';
import { createInventory } from './services/inventory.ts';
import { createLiveFeed } from './services/live-feed.ts';
import { createPbxSources } from './services/pbx-sources.ts';
import { createPrivacy } from './services/privacy.ts';
import { reportDayDerivation } from './services/reports.ts';
import type { DurableStore } from './store/durable-store.ts';
import type { DayDerivation } from './store/types.ts';
import { createSettings } from './services/settings.ts';
import { applySettingsLive } from './services/settings-live.ts';
import { phoneSkewMs } from './time/index.ts';
import { switchableClock } from './time/switchable-clock.ts';
import { createPushService } from './push/service.ts';
import { realScheduler, type Scheduler } from './push/types.ts';
import { createLdapNames } from './directory/ldap-names.ts';
import { databaseLeases, soleInstance, type Leases } from './cluster/leases.ts';
import { changeLogPruning, followOtherInstances } from './cluster/follow.ts';
import { prefetchNames } from './directory/prefetch.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposeInput {
  /** The `RINGBACK_*` variables; settings saved from the dashboard fill in what they leave unset. */
  env: Env;
  /** Open, locked by the caller, who also closes it (after `close()`). */
  store: DurableStore;
  log: Logger;
  now: () => Date;
  /** The admin token in force: the configured one or the one kept in the data dir. */
  adminToken: string;
  /** Start of the phone-health settling window; default `now()`. */
  startedAt?: Date;
  /** Timers of the idle-screen pushes; default real ones (tests pass a clock they move). */
  pushScheduler?: Scheduler;
  /**
   * Who does what must happen once when several instances share a database (jobs, AMI sources).
   * Default: leases in RINGBACK_DATABASE_URL's database when it is set, else this instance holds all.
   */
  leases?: Leases;
}

/** A scheduled job: a name (`GET /api/jobs`), a node-cron expression, and a thin call into a service. */
export interface JobEntry {
  name: string;
  schedule: string;
  run: JobFn;
}

export interface Composition {
  /** The configuration in force at start: the environment, with saved settings where it sets nothing. */
  config: Config;
  services: AppServices;
  /** Every scheduled job; nothing runs until `scheduleJobs()`. */
  jobs: readonly JobEntry[];
  app: Express;
  /** Schedules every job (main.ts). In-process tests leave it: they tick services with their own clock. */
  scheduleJobs(): Jobs;
  /**
   * Stops the jobs, the PBX connections, the senders and the dashboards' event streams (which an
   * HTTP server's close() would wait for). The store stays open: its owner closes it afterwards.
   */
  close(): Promise<void>;
}

/**
 * The per-day values the store keeps up to date for the services (the report's aggregates): every
 * store a composition runs on is opened with them, `openStore({ dir, derivations: storeDerivations(env) })`.
 * The zone of destinations in no team is the configured one (RINGBACK_TIME_ZONE, never a saved setting).
 */
export function storeDerivations(env: Env): DayDerivation[] {
  const loaded = loadConfig(env);
  // An invalid configuration stops compose() with its errors; the zone here then matters to no one.
  return [reportDayDerivation(loaded.ok ? loaded.config.timeZone : 'UTC')];
}

export async function compose(input: ComposeInput): Promise<Composition> {
  const { store, log, now } = input;
  let closing = false;
  let scheduler: Jobs | null = null;
  const settings = createSettings({ store, env: input.env });
  const config = settings.config();
  for (const problem of settings.ignored()) log.warn({ problem }, 'a saved setting is not valid any more and is ignored');

  const live = createLiveFeed({ onError: (err) => log.error({ err }, 'live feed: a listener failed') });
  const leases = input.leases ?? (config.databaseUrl === null ? soleInstance()
    : databaseLeases(config.databaseUrl, (msg, fields) => log.warn(fields ?? {}, msg)));
  let provisioning: Provisioning | null = null;
  const push = createPushService({
    store, config: config.push, scheduler: input.pushScheduler ?? { ...realScheduler, now: () => now().getTime() },
    baseFor: (phone) => config.publicUrl ?? store.get('provisioningFetches', phone.mac)?.base ?? null,
    missedKey: (phone) => provisioning?.missedKey(phone) ?? null,
    log: (level, message, fields) => log[level](fields, message),
  });
  const callLog = createCallLog({
    store, country: config.country, windowSeconds: config.correlationWindowSeconds, policy: config.policy,
    afterHours: (team, at) => team?.businessHours !== undefined && !isWithinBusinessHours(team.businessHours, team.timeZone, at),
    skewOf: phoneSkewMs,
    // After the commit, off the request path: the push service only marks phones and sets timers.
    onChange: (changes) => { live.publish(changes); push.onChange(changes); },
  });
  const inventory = createInventory({ store, country: config.country, defaultTimeZone: config.timeZone, now });
  const clock = switchableClock({ servers: config.ntpServers, driftThresholdMs: config.ntpDriftMs, timeoutMs: config.ntpTimeoutMs, log });
  const audit = createAudit({ store, now });
  const auth = createAuth({ store, adminToken: input.adminToken, now });
  const contacts = createContacts({ store, country: config.country, now });
  // Other instances' commits reach this one's dashboards too (their phones' screens read the store),
  // and what this instance keeps besides the store (settings in force, the contact index) follows.
  const unfollow = followOtherInstances(store, (changes) => {
    live.publish(changes);
    const settingKeys = changes.flatMap((c) => (c.t === 'put' || c.t === 'del') && c.c === 'settings' ? [c.id] : []);
    if (settingKeys.length > 0) settings.savedElsewhere(settingKeys);
    if (changes.some((c) => (c.t === 'put' || c.t === 'del') && c.c === 'contacts')) contacts.directory.changedElsewhere();
  });
  const privacy = createPrivacy({ store, contacts: contacts.directory, country: config.country, now });
  const followUp = await createFollowUp({
    onRetention: (run) => auditRetention(audit, run),
    store, config: config.followUp, timeZone: config.timeZone, dataDir: resolve(config.dataDir), startedAt: input.startedAt ?? now(), log,
    isVip: (callerKey) => contacts.directory.isVip(callerKey),
    contactName: (callerKey) => contacts.directory.match(callerKey)?.name,
    publicUrl: config.publicUrl,
  });
  // A changed NTP server list is checked at once where the jobs run (in-process tests run them by hand).
  applySettingsLive(settings, { followUp, clock, checkClock: () => void scheduler?.run('clock-check').catch(() => undefined) });
  const pbxSources = createPbxSources({
    store, callLog, now,
    log: (level, message, fields) => log[level](fields ?? {}, message),
    fromEnv: config.ami === null ? null : { type: 'asterisk-ami', ...config.ami }, leases,
  });
  provisioning = provisioningOf(config, { store, callLog, log, now });
  // Caller names from the office's LDAP directory, looked up as missed calls are recorded.
  const names = config.ldap === null ? null : createLdapNames({
    config: config.ldap, country: config.country, now, log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  if (names !== null) prefetchNames(live, store, names);

  const services: AppServices = {
    store, callLog, inventory, live, audit, auth, contacts, privacy, followUp, settings, pbxSources, provisioning, push, names,
    // Softkey actions on the phone screens go into the audit trail.
    phoneCallLog: auditedCallLog(callLog, { audit, store }),
  };
  // Several instances on one database: each job runs on the one holding the jobs lease (a job that
  // finds it held elsewhere does nothing), so a notification is sent and an entry escalated once.
  const once = (run: JobFn): JobFn => async (at) => (await leases.acquire('jobs')) ? run(at) : 'skipped: another instance runs the jobs';
  const jobs: JobEntry[] = [
    // Every instance stamps times with its own clock, so each checks its own (/readyz, /api/time).
    { name: 'clock-check', schedule: config.ntpSchedule, run: (at) => clock.check(at) },
    { name: 'notify', schedule: config.followUp.notifySchedule, run: once((at) => followUp.notifier.tick(at)) },
    { name: 'retention', schedule: config.followUp.retentionSchedule, run: once((at) => followUp.retention.run(at)) },
    { name: 'phone-health', schedule: config.followUp.healthSchedule, run: once((at) => followUp.phoneHealth.check(at)) },
  ];
  // PostgreSQL: the log of commits the instances follow keeps one hour, not the site's whole life.
  const pruneLog = changeLogPruning(store);
  if (pruneLog !== null) jobs.push({ name: 'change-log', schedule: '*/10 * * * *', run: once(() => pruneLog()) });
  const app = createApp({
    services, log, now,
    settings: {
      adminToken: input.adminToken, publicUrl: config.publicUrl, country: config.country, defaultTimeZone: config.timeZone,
      phoneAllow: config.phoneAllow, webhookSecret: () => settings.config().webhookSecret, crmUrl: config.crmUrl, cookieSecurity: config.cookieSecurity,
      provision: { credentials: config.provision.credentials, allow: config.provision.allow },
    },
    readiness: () => {
      const unavailable = store.unavailable();
      return {
        ready: !closing && unavailable === null,
        store: closing ? 'closing' : unavailable === null ? 'open' : 'not-writable',
        ...(unavailable === null ? {} : { reason: unavailable.message }),
        clock: clock.status().status,
      };
    },
    clock: () => clock.status(),
    jobs: () => scheduler?.list() ?? [],
    // Which instance runs the jobs and follows each AMI source.
    leases: async () => ({
      instance: leases.self,
      leases: await leases.holders(['jobs', ...pbxSources.list().map((s) => `ami:${s.id}`)]),
    }),
  });

  return {
    config, services, jobs, app,
    scheduleJobs() {
      if (scheduler !== null) return scheduler;
      const scheduled = createJobs({ timezone: 'UTC', log });
      for (const job of jobs) scheduled.add(job.name, job.schedule, job.run);
      scheduler = scheduled;
      // Taken now, not at the first slot: GET /api/jobs shows a holder from the start.
      void leases.acquire('jobs');
      return scheduled;
    },
    async close() {
      if (closing) return;
      closing = true;
      await scheduler?.stop();
      await followUp.close();
      await pbxSources.closeAll();
      unfollow();
      await leases.close();
      push.close();
      live.close();
    },
  };
}

/**
 * The provisioning service, or null when no provisioning credentials are configured (then
 * `/provision/` is off). A broken template throws `TemplateError` naming the file and the problem.
 */
function provisioningOf(config: Config, deps: Pick<ProvisioningDeps, 'store' | 'callLog' | 'log' | 'now'>): Provisioning | null {
  if (config.provision.credentials === null) return null;
  return createProvisioning({
    ...deps,
    config: {
      credentials: config.provision.credentials, publicUrl: config.publicUrl, defaultTimeZone: config.timeZone,
      // Phones ask NTP on its own port: the host part of each server the clock check uses.
      ntpServers: config.ntpServers.map((s) => s.replace(/:\d+$/, '')), sipServer: config.provision.sipServer,
      templateDirs: templateDirs(config.provision),
    },
  });
}
