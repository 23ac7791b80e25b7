/**
 * @module The admin command line: `npm run cli -- phones import <file.csv>`. Same service as
 * `POST /api/phones/import`. With the server stopped it works on the data directory itself; while
 * the server runs (it holds the directory's lock) it sends the file to the server's API instead,
 * so two processes never write one store. `npm run cli -- migrate-to-postgres` is in cli-migrate.ts.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { MIGRATE_USAGE, migrateCommand } from './cli-migrate.ts';
import { importPhones, type ImportReport } from './provisioning/csv-import.ts';
import { createInventory } from './services/inventory.ts';
import { lockDir } from './store/embedded/dir-lock.ts';
import { openStore } from './store/embedded/open-store.ts';

const USAGE = `usage: npm run cli -- phones import <file.csv> [--data <dir>] [--server <url>]

  Creates or updates phones from a CSV file (columns: mac, vendor, model, label, user_name,
  extension, sip_user, sip_password, sip_server, teams) and prints what happened to each row.
  --data    data directory (default RINGBACK_DATA_DIR or ./data)
  --server  send the file to a running server (default: only when the data directory is in use),
            authenticated with RINGBACK_ADMIN_TOKEN or <data>/admin-token
Exit status: 0 all rows imported, 1 some rows rejected, 2 the file or the command is wrong.
`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'migrate-to-postgres') {
    return migrateCommand(argv.slice(1), process.env, (t) => process.stdout.write(t), (t) => process.stderr.write(t));
  }
  const args = [...argv];
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const dataOption = option('--data');
  const serverOption = option('--server');
  const [noun, verb, file, ...rest] = args;
  if (noun !== 'phones' || verb !== 'import' || file === undefined || rest.length > 0) {
    process.stderr.write(USAGE + '\n' + MIGRATE_USAGE);
    return 2;
  }
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`ringback: invalid configuration\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 2;
  }
  const config = loaded.config;
  const dataDir = resolve(dataOption ?? config.dataDir);
  const text = await readFile(file, 'utf8');

  if (serverOption !== undefined) return print(await viaServer(serverOption, text, dataDir, config.adminToken));
  // With PostgreSQL the running server keeps the data in memory too: it must make the change itself.
  if (config.databaseUrl !== null) return print(await viaServer(`http://127.0.0.1:${config.port}`, text, dataDir, config.adminToken));
  await mkdir(dataDir, { recursive: true });
  let lock;
  try {
    lock = await lockDir(dataDir);
  } catch {
    // The server holds the directory: hand the file to it.
    return print(await viaServer(`http://127.0.0.1:${config.port}`, text, dataDir, config.adminToken));
  }
  try {
    const store = await openStore({ dir: dataDir });
    try {
      const inventory = createInventory({ store, country: config.country, defaultTimeZone: config.timeZone, now: () => new Date() });
      const result = await importPhones(text, { store, inventory });
      return print(result.ok ? result.value : result.message);
    } finally {
      await store.close();
    }
  } finally {
    await lock.release();
  }
}

async function viaServer(base: string, text: string, dataDir: string, configured: string | null): Promise<ImportReport | string> {
  const token = configured ?? (await readFile(join(dataDir, 'admin-token'), 'utf8').catch(() => '')).trim();
  if (token === '') return 'no admin token: set RINGBACK_ADMIN_TOKEN';
  const r = await fetch(`${base.replace(/\/+$/, '')}/api/phones/import`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: text,
  });
  const body = (await r.json()) as ImportReport | { error?: { message?: string } };
  if (!r.ok) return `the server answered ${r.status}: ${'error' in body ? body.error?.message ?? '' : ''}`;
  return body as ImportReport;
}

function print(result: ImportReport | string): number {
  if (typeof result === 'string') {
    process.stderr.write(`ringback: ${result}\n`);
    return 2;
  }
  for (const row of result.rows) {
    process.stdout.write(`line ${String(row.line).padEnd(5)} ${row.mac.padEnd(12)}  ${row.result}${row.reason === undefined ? '' : `: ${row.reason}`}\n`);
  }
  process.stdout.write(`${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected} rejected\n`);
  return result.rejected > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
