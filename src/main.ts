/** @module Start-up: config → store → compose (services, jobs, app) → HTTP server; graceful shutdown on SIGTERM/SIGINT. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { compose, type ComposeInput, type Composition } from './compose.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { openStore } from './store/open-store.ts';
import { lockDir } from './store/dir-lock.ts';
import { TemplateError } from './provisioning/templates.ts';

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
  const composition = await composed({ env: process.env, store, log, now: () => new Date(), adminToken: admin.token });
  // Settings saved from the dashboard fill in what the environment leaves unset (the environment wins).
  config = composition.config;
  const { app, services } = composition;
  services.pbxSources.startAll();
  const jobs = composition.scheduleJobs();

  const server = app.listen(config.port, config.host);
  await new Promise<void>((ok, fail) => { server.once('listening', ok); server.once('error', fail); });
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(banner(config, port, admin));
  log.info({ port, dataDir }, 'listening');
  void jobs.run('clock-check');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await composition.close(); // readiness says "closing" from here on
    server.closeIdleConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
    await store.close();
    await lock.release();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
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
  const token = admin.generated || admin.file === null ? admin.token : `$(cat ${admin.file})`;
  const auth = `-H "Authorization: Bearer ${token}" -H 'Content-Type: application/json'`;
  return [
    '',
    `Ringback is listening on ${base}  (data: ${resolve(config.dataDir)})`,
    `Dashboard: ${base}/  (sign in with the admin token)`,
    admin.generated ? `Admin token (new, kept in ${admin.file ?? ''}): ${admin.token}` : `Admin token: ${admin.file ?? 'from RINGBACK_ADMIN_TOKEN'}`,
    '',
    'Put a team and a phone in, then enter the URLs the second answer returns into the phone:',
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
