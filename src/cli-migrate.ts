/** @module `npm run cli -- migrate-to-postgres`: an embedded data dir onto an empty PostgreSQL database, checked by counts. */
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { compareCounts, copyStore, countStore, notCopyable, notEmpty } from './migrate-to-postgres.ts';
import { lockDir, type DirLock } from './store/embedded/dir-lock.ts';
import { openStore } from './store/embedded/open-store.ts';
import { openPostgresStore } from './store/postgres/open.ts';
import { parseDatabaseUrl, redactUrl } from './store/postgres/url.ts';

export const MIGRATE_USAGE = `usage: npm run cli -- migrate-to-postgres [--data <dir>] [--database <url>]

  Copies everything of an embedded site (teams, phones, settings, every collection, every day's
  calls) into an empty PostgreSQL database, then counts both sides and prints them.
  --data      data directory (default RINGBACK_DATA_DIR or ./data); the server must be stopped
  --database  postgres://user:password@host:port/database (default RINGBACK_DATABASE_URL)
Exit status: 0 copied and every count matches, 1 the copy failed or a count differs, 2 refused
(server running, database not empty or unreachable, wrong arguments): nothing was copied.
`;

type Out = (text: string) => void;

export async function migrateCommand(args: string[], env: NodeJS.ProcessEnv, out: Out, err: Out): Promise<number> {
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if ((name !== '--data' && name !== '--database') || value === undefined) {
      err(MIGRATE_USAGE);
      return 2;
    }
    opts.set(name, value);
  }
  // As config.ts reads them; the server's other settings need not be valid for this command.
  const dataDir = resolve(opts.get('--data') ?? env.RINGBACK_DATA_DIR ?? './data');
  const rawUrl = opts.get('--database') ?? env.RINGBACK_DATABASE_URL;
  if (rawUrl === undefined || rawUrl === '') {
    err('ringback: no database: pass --database postgres://… or set RINGBACK_DATABASE_URL\n');
    return 2;
  }
  let url: string;
  try {
    url = parseDatabaseUrl(rawUrl);
  } catch (e) {
    err(`ringback: --database: ${(e as Error).message}\n`);
    return 2;
  }
  const where = redactUrl(url);
  if (!(await exists(join(dataDir, 'config.json'))) && !(await exists(join(dataDir, 'journal')))) {
    err(`ringback: ${dataDir} holds no embedded site (no config.json, no journal)\n`);
    return 2;
  }
  let lock: DirLock;
  try {
    lock = await lockDir(dataDir);
  } catch (e) {
    err(`ringback: ${(e as Error).message}: stop the server before moving its data (nothing was copied)\n`);
    return 2;
  }
  try {
    return await migrate(dataDir, url, where, out, err);
  } finally {
    await lock.release();
  }
}

async function migrate(dataDir: string, url: string, where: string, out: Out, err: Out): Promise<number> {
  const source = await openStore({ dir: dataDir });
  try {
    const odd = notCopyable(source);
    if (odd !== null) {
      err(`ringback: ${dataDir}: ${odd}; nothing was copied\n`);
      return 2;
    }
    let target;
    try {
      target = await openPostgresStore({ url, follow: false });
    } catch (e) {
      err(`ringback: ${(e as Error).message}\n`);
      return 2;
    }
    let before;
    try {
      const held = await notEmpty(target);
      if (held !== null) {
        err(`ringback: the database at ${where} already holds data (${held}); migrate-to-postgres only fills an empty database. Nothing was copied.\n`);
        return 2;
      }
      out(`copying ${dataDir} to ${where}\n`);
      let last = '';
      try {
        before = await copyStore(source, target, (day, n) => {
          last = day;
          err(`copied ${day}: ${n} records\n`);
        });
        await target.flush();
        // No instance follows this database yet (it was empty): the copy need not wait in the change log.
        await target.pruneChangeLog(0);
      } catch (e) {
        err(`ringback: the copy failed${last === '' ? '' : ` after ${last}`}: ${(e as Error).message}\n`
          + `  The database at ${where} now holds part of the site: drop and create it again before the next try.\n`);
        return 1;
      }
    } finally {
      await target.close();
    }
    // Counted on a fresh open: what a server starting on the database will find.
    const check = await openPostgresStore({ url, follow: false });
    let after;
    try {
      after = await countStore(check);
    } finally {
      await check.close();
    }
    const { rows, ok } = compareCounts(before, after);
    const width = Math.max(...rows.map((r) => r.what.length), 4);
    out(`${'what'.padEnd(width)}  ${'embedded'.padStart(9)}  ${'postgres'.padStart(9)}\n`);
    for (const r of rows) {
      out(`${r.what.padEnd(width)}  ${String(r.before).padStart(9)}  ${String(r.after).padStart(9)}${r.before === r.after ? '' : '  DIFFERS'}\n`);
    }
    if (!ok) {
      err(`ringback: the counts differ (rows marked DIFFERS): do not start the server on ${where} before finding out why\n`);
      return 1;
    }
    out(`every count matches: start the server with RINGBACK_DATABASE_URL set to ${where} (with its password)\n`);
    return 0;
  } finally {
    await source.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
