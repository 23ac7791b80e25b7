/**
 * Test support: a real PostgreSQL 15 (Debian's) in a temp dir, on a loopback port, with its unix
 * socket in that dir; `stop()` ends it and removes the dir. CI runs as root and PostgreSQL refuses
 * to run as root, so initdb and pg_ctl run as the `postgres` user (Debian's package creates it).
 */
import { execFile } from 'node:child_process';
import { access, chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './slapd.ts';

const run = promisify(execFile);
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface Postgres {
  /** `postgres://` URL of the cluster's `postgres` database (trust auth on loopback). */
  url: string;
  port: number;
  /** A fresh, empty database on this cluster; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server but keeps its data (a database outage); `resume()` starts it again on the same port. */
  halt(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or null when they can (for `{ skip: … }`). */
export async function postgresMissing(): Promise<string | null> {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    try {
      await access(join(PG_BIN, bin));
    } catch {
      return `PostgreSQL 15 is not installed (${join(PG_BIN, bin)} missing): apt-get install postgresql`;
    }
  }
  return null;
}

export interface StartOptions {
  /**
   * Keep the cluster in this dir (created, and initdb'd, when it holds none): `stop()` leaves it for
   * the next start. The bench caches its seeded cluster this way. Default: a temp dir, removed.
   */
  dir?: string;
  /** More `-c name=value` server settings (after the test defaults, so they win). */
  settings?: readonly string[];
}

/** Starts a throw-away cluster. Run as root, it drops to the `postgres` user; else runs as the caller. */
export async function startPostgres(options: StartOptions = {}): Promise<Postgres> {
  const keep = options.dir !== undefined;
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'ringback-pg-'));
  if (keep) await mkdir(dir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  const as = async (cmd: string, args: string[]): Promise<string> => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args]] : [join(PG_BIN, cmd), args];
    const { stdout } = await run(file, argv, { cwd: dir });
    return stdout;
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  const initialised = keep && await access(join(data, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) {
    await rm(data, { recursive: true, force: true });
    await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  }
  const port = await freePort();
  const opts = [
    `-c listen_addresses=127.0.0.1`, `-p ${port}`, `-k ${dir}`,
    // A test cluster: fast and small. fsync stays on: commit durability is what the engine promises.
    '-c shared_buffers=32MB', '-c max_connections=100', '-c log_min_messages=warning',
    ...(options.settings ?? []).map((setting) => `-c ${setting}`),
  ].join(' ');
  // -w: pg_ctl returns once the server accepts connections (or fails, with the log below).
  const start = () => as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
  try {
    await start();
  } catch (e) {
    if (!keep) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url, port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async halt() {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    async resume() {
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined); // already halted
      } finally {
        if (!keep) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
