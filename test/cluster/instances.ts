/**
 * Test support: Ringback instances on one PostgreSQL database, as real processes (startCluster) or
 * as two apps in the test's process (instancePairs), and a phone that fails over like a load balancer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import type { PgStore } from '../../src/store/postgres/pg-store.ts';
import { startPostgres, type Postgres } from '../support/postgres.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';

/**
 * Inside a describe: a PostgreSQL server for it, and `pair()` two apps started by `start` on a new
 * database each time. B follows A's commits by LISTEN unless `bFollows` is false: then it hears A
 * only when it reads the change log (`bStore.catchUp()`), which holds open the race two instances
 * run into whenever a notice is still on its way.
 */
export function instancePairs<App extends { close(): Promise<void> }>(prefix: string, start: (store: PgStore) => Promise<App>):
  (bFollows?: boolean) => Promise<{ a: App; b: App; bStore: PgStore }> {
  let server: Postgres | undefined;
  let n = 0;
  const apps: App[] = [];
  before(async () => { server = await startPostgres(); });
  after(async () => {
    for (const t of apps) await t.close();
    await server?.stop();
  });
  return async (bFollows = true) => {
    if (server === undefined) throw new Error('instancePairs: PostgreSQL is not started (call it inside a describe)');
    const url = await server.createDatabase(`${prefix}_${++n}`);
    const a = await start(await openPostgresStore({ url }));
    const bStore = await openPostgresStore({ url, follow: bFollows });
    const b = await start(bStore);
    apps.push(a, b);
    return { a, b, bStore };
  };
}

export interface Instance {
  readonly name: string;
  readonly server: ServerProcess;
  /** False once it was killed or stopped. */
  up: boolean;
}

export interface Cluster {
  readonly instances: Instance[];
  /** Starts one more instance (or a replacement) on the database. */
  start(name: string): Promise<Instance>;
  kill(i: Instance, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Bases of the instances up, in start order. */
  bases(): string[];
  close(): Promise<void>;
}

export async function startCluster(url: string, env: Record<string, string> = {}): Promise<Cluster> {
  const dirs: string[] = [];
  const instances: Instance[] = [];
  const cluster: Cluster = {
    instances,
    async start(name) {
      // Each instance its own data dir (nothing of the store is in it: the database holds everything).
      const dir = await mkdtemp(join(tmpdir(), `ringback-${name}-`));
      dirs.push(dir);
      const server = await spawnServer(dir, { RINGBACK_DATABASE_URL: url, ...env });
      const instance: Instance = { name, server, up: true };
      void server.exited.then(() => { instance.up = false; });
      instances.push(instance);
      return instance;
    },
    async kill(i, signal) {
      i.server.child.kill(signal);
      await i.server.exited;
      i.up = false;
    },
    bases: () => instances.filter((i) => i.up).map((i) => i.server.base),
    async close() {
      await Promise.all(instances.filter((i) => i.up).map((i) => cluster.kill(i, 'SIGTERM')));
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
  return cluster;
}

export interface Answer {
  status: number;
  /** Which instance answered it. */
  base: string;
  /** Tries it took (1 = the first instance asked answered). */
  tries: number;
  text: string;
}

/**
 * A phone's request behind a load balancer: sent to the instances in turn, starting at `turn`; a
 * connection refused or reset, or a 503 (an instance shutting down or without its database), is
 * sent again to the next one. Resolves with the first other answer, or the last failure after
 * `maxTries`.
 */
export async function failover(bases: () => string[], turn: number, path: string, maxTries = 8): Promise<Answer> {
  let last: Answer = { status: 0, base: '', tries: 0, text: 'no instance up' };
  for (let tries = 1; tries <= maxTries; tries++) {
    const up = bases();
    const base = up[(turn + tries - 1) % Math.max(1, up.length)];
    if (base === undefined) continue;
    try {
      const r = await fetch(`${base}${path}`);
      const text = await r.text();
      last = { status: r.status, base, tries, text };
      if (r.status !== 503) return last;
    } catch (err) {
      last = { status: 0, base, tries, text: String(err) };
    }
  }
  return last;
}
