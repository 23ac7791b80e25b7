/** @module Start-up: config → store → compose (services, jobs, app) → HTTP server; graceful shutdown on SIGTERM/SIGINT. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { compose, storeDerivations, type ComposeInput, type Composition } from './compose.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { openConfiguredStore, type OpenedStore } from './open-configured-store.ts';
import { TemplateError } from './provisioning/templates.ts';
import { createLimitedServer } from './http/server-limits.ts';
import { boundHeapGrowth } from './heap.ts';

// Before anything large is allocated: memory after a peak (an export, a report) goes back to what is live.
boundHeapGrowth();

/**
 * Signal handlers go in first: until `process.on` runs, SIGTERM has the kernel's default action and
 * kills the process outright (no final snapshot, lock left behind). A signal during start-up is
 * remembered and served once the server is up, so it shuts down the same clean way.
 */
let shutdown: ((signal: string) => Promise<void>) | null = null;
let signalled: string | null = null;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (shutdown !== null) void shutdown(signal);
    else signalled ??= signal;
  });
}

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

  let opened: OpenedStore;
  try {
    opened = await openConfiguredStore(config, dataDir, (msg, fields) => log.warn(fields ?? {}, msg), storeDerivations(process.env));
  } catch (e) {
    // A database URL's password is never in the message (openPostgresStore redacts it).
    const where = config.databaseUrl === null ? `the data in ${dataDir}` : 'the database';
    process.stderr.write(`ringback: cannot open ${where}: ${(e as Error).message}\n`);
    process.exit(3);
  }
  const { store } = opened;
  const composition = await composed({ env: process.env, store, log, now: () => new Date(), adminToken: admin.token });
  // Settings saved from the dashboard fill in what the environment leaves unset (the environment wins).
  config = composition.config;
  const { app, services } = composition;
  void services.pbxSources.startAll();
  const jobs = composition.scheduleJobs();

  const server = createLimitedServer(app, config.server).listen(config.port, config.host);
  await new Promise<void>((ok, fail) => { server.once('listening', ok); server.once('error', fail); });
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(banner(config, port, admin));
  log.info({ port, dataDir, store: opened.where }, 'listening');
  // Clears banners a restart left behind and shows what waits now (off the start's path).
  services.push?.refreshAll();
  void jobs.run('clock-check');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await composition.close(); // readiness says "closing" from here on
    server.closeIdleConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
    try {
      await store.close();
    } catch (err) {
      // A full or failing disk: every acknowledged change is in the journal, which the next start
      // replays. Exiting 1 here would make a supervisor think the data is in danger; it is not.
      log.error({ err }, 'the final snapshot could not be written; the journal is intact and is replayed at the next start');
    }
    await opened.release();
    process.exit(0);
  };
  shutdown = stop;
  if (signalled !== null) void stop(signalled);
}

/** The composition; a broken provisioning template stops the start with the file and the problem. */
async function composed(input: ComposeInput): Promise<Composition> {
  try {
    return await compose(input);
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
