/** @module Start-up: config → store → services → HTTP server; graceful shutdown on SIGTERM/SIGINT. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { isWithinBusinessHours } from './domain/schedule.ts';
import { createLogger } from './log.ts';
import { createCallLog } from './services/call-log.ts';
import { createInventory } from './services/inventory.ts';
import { createPbxSources } from './services/pbx-sources.ts';
import { auditRetention, createAudit } from './services/audit.ts';
import { createFollowUp, scheduleFollowUp } from './services/follow-up.ts';
import { contactDirectory } from './services/contacts.ts';
import { openStore } from './store/open-store.ts';
import { lockDir } from './store/dir-lock.ts';
import { clockCheckJob, createJobs } from './jobs/index.ts';
import { templateDirs } from './provisioning/config.ts';
import { createProvisioning, type Provisioning, type ProvisioningDeps } from './provisioning/service.ts';
import { TemplateError } from './provisioning/templates.ts';
import { phoneSkewMs } from './time/index.ts';
import { switchableClock } from './time/switchable-clock.ts';
import { createSettings } from './services/settings.ts';
import { applySettingsLive } from './services/settings-live.ts';
import { createLiveFeed } from './services/live-feed.ts';
import { createLimitedServer } from './http/server-limits.ts';

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`ringback: invalid configuration\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`);
    process.exit(2);
  }
  let config = loaded.config;
  const log = createLogger(config.logLevel);
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  const admin = await adminToken(config, dataDir);

  let store;
  let lock;
  try {
    lock = await lockDir(dataDir);
    store = await openStore({ dir: dataDir, log: (msg, fields) => log.warn(fields ?? {}, msg) });
  } catch (e) {
    process.stderr.write(`ringback: cannot open the data in ${dataDir}: ${(e as Error).message}\n`);
    process.exit(3);
  }
  // Settings saved from the dashboard fill in what the environment leaves unset (the environment wins).
  const settings = createSettings({ store, env: process.env });
  config = settings.config();
  for (const problem of settings.ignored()) log.warn({ problem }, 'a saved setting is not valid any more and is ignored');
  const now = () => new Date();
  let stopping = false;
  const live = createLiveFeed({ onError: (err) => log.error({ err }, 'live feed: a listener failed') });
  const callLog = createCallLog({
    store, country: config.country, windowSeconds: config.correlationWindowSeconds, policy: config.policy,
    afterHours: (team, at) => team?.businessHours !== undefined && !isWithinBusinessHours(team.businessHours, team.timeZone, at),
    skewOf: phoneSkewMs,
    onChange: live.publish,
  });
  const inventory = createInventory({ store, country: config.country, defaultTimeZone: config.timeZone, now });
  const clock = switchableClock({ servers: config.ntpServers, driftThresholdMs: config.ntpDriftMs, timeoutMs: config.ntpTimeoutMs, log });
  const jobs = createJobs({ timezone: 'UTC', log });
  jobs.add('clock-check', config.ntpSchedule, clockCheckJob(clock));
  const audit = createAudit({ store, now });
  const followUp = await createFollowUp({
    onRetention: (run) => auditRetention(audit, run),
    store, config: config.followUp, timeZone: config.timeZone, dataDir, startedAt: now(), log,
    isVip: (callerKey) => contactDirectory(store).isVip(callerKey),
  });
  scheduleFollowUp(jobs, followUp, config.followUp);
  applySettingsLive(settings, { followUp, clock, checkClock: () => void jobs.run('clock-check') });
  const pbxSources = createPbxSources({
    store, callLog, now,
    log: (level, message, fields) => log[level](fields ?? {}, message),
    fromEnv: config.ami === null ? null : { type: 'asterisk-ami', ...config.ami },
  });
  pbxSources.startAll();
  const provisioning = startProvisioning(config, { store, callLog, log, now });
  const app = createApp({
    store, callLog, inventory, log, adminToken: admin.token, publicUrl: config.publicUrl, country: config.country,
    defaultTimeZone: config.timeZone, phoneAllow: config.phoneAllow, now,
    readiness: () => ({ ready: !stopping, store: stopping ? 'closing' : 'open', clock: clock.status().status }),
    clock: () => clock.status(),
    jobs: () => jobs.list(),
    pbxSources,
    webhookSecret: () => settings.config().webhookSecret,
    settings,
    crmUrl: config.crmUrl,
    cookieSecurity: config.cookieSecurity,
    followUp,
    live,
    provisioning: { service: provisioning, credentials: config.provision.credentials, allow: config.provision.allow },
  });

  const server = createLimitedServer(app, config.server).listen(config.port, config.host);
  await new Promise<void>((ok, fail) => { server.once('listening', ok); server.once('error', fail); });
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(banner(config, port, admin));
  log.info({ port, dataDir }, 'listening');
  void jobs.run('clock-check');

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await jobs.stop();
    await followUp.close();
    await pbxSources.closeAll();
    live.close(); // ends the dashboards' event streams, which server.close() would wait for
    server.closeIdleConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
    await store.close();
    await lock.release();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The provisioning service, or null when no provisioning credentials are configured (then
 * `/provision/` is off). A broken template stops the start with the file and the problem.
 */
function startProvisioning(config: Config, deps: Pick<ProvisioningDeps, 'store' | 'callLog' | 'log' | 'now'>): Provisioning | null {
  if (config.provision.credentials === null) return null;
  try {
    return createProvisioning({
      ...deps,
      config: {
        credentials: config.provision.credentials, publicUrl: config.publicUrl, defaultTimeZone: config.timeZone,
        // Phones ask NTP on its own port: the host part of each server the clock check uses.
        ntpServers: config.ntpServers.map((s) => s.replace(/:\d+$/, '')), sipServer: config.provision.sipServer,
        templateDirs: templateDirs(config.provision),
      },
    });
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    process.stderr.write(`ringback: invalid provisioning template\n  ${e.message}\n`);
    process.exit(2);
  }
}

/** The admin token: from the environment, else kept in the data dir (generated on first start). */
async function adminToken(config: Config, dataDir: string): Promise<{ token: string; generated: boolean; file: string | null }> {
  if (config.adminToken !== null) return { token: config.adminToken, generated: false, file: null };
  const file = join(dataDir, 'admin-token');
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 16) return { token, generated: false, file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(24).toString('base64url');
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  await fh.writeFile(`${token}\n`);
  await fh.sync();
  await fh.close();
  await rename(tmp, file);
  return { token, generated: true, file };
}

function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return 'localhost';
}

function banner(config: Config, port: number, admin: { token: string; generated: boolean; file: string | null }): string {
  const base = config.publicUrl ?? `http://${lanAddress()}:${port}`;
  // The curl lines never hold the token (stdout ends up in journald and container logs): a
  // placeholder the shell fills in. Only a token generated right now is shown, once, to sign in with.
  const token = admin.file === null ? '"$RINGBACK_ADMIN_TOKEN"' : `"$(cat '${admin.file.replaceAll("'", "'\\''")}')"`;
  const auth = `-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json'`;
  return [
    '',
    `Ringback is listening on ${base}  (data: ${resolve(config.dataDir)})`,
    `Dashboard: ${base}/  (sign in with the admin token)`,
    admin.generated ? `Admin token (new, kept in ${admin.file ?? ''}): ${admin.token}` : `Admin token: ${admin.file ?? 'from RINGBACK_ADMIN_TOKEN'}`,
    '',
    'Put a team and a phone in, then enter the URLs the second answer returns into the phone:',
    `  TOKEN=${token}`,
    `  curl ${auth} -d '{"name":"Reception","extensions":["11","12"],"timeZone":"${config.timeZone}"}' ${base}/api/teams`,
    `  curl ${auth} -d '{"mac":"805ec0aabbcc","vendor":"yealink","extension":"11","label":"Desk 11","teamIds":["<team id>"]}' ${base}/api/phones`,
    '',
    `Phone URLs (t = the phone's token from that answer):`,
    `  action URLs   ${base}/phone/<vendor>/event?t=<token>&e=<event>&…   (the answer lists each one, with its $variables)`,
    `  missed list   ${base}/phone/<vendor>/missed?t=<token>              (XML browser key, e.g. Yealink line key type 27)`,
    '',
    config.provision.credentials === null
      ? 'Provisioning is off: set RINGBACK_PROVISION_USER and RINGBACK_PROVISION_PASSWORD to let phones configure themselves.'
      : `Provisioning: DHCP option 66/160 or the phone's provisioning server = ${base}/provision/  (user ${config.provision.credentials.user})`,
    '',
  ].join('\n');
}

await main();
