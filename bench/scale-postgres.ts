/**
 * The PostgreSQL side of `bench:scale`: a cluster of Debian's PostgreSQL 15 on loopback (the test
 * harness's), tuned for a bench but with fsync and synchronous_commit ON (a 2xx still means COMMIT),
 * seeded through the store contract into a database `seeded` and kept under bench/.cache/ with a
 * marker, like the embedded data dir. Each run measures a file copy of it (CREATE DATABASE … TEMPLATE),
 * so the server's writes never reach the cached seed.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { startPostgres, type Postgres } from '../test/support/postgres.ts';
import { seedStores } from './seed.ts';

const CACHE = join(import.meta.dirname, '.cache');
const MARKER = 'bench-seeded.json';
/** Concurrent seeding engines: each commits its own groups, so PostgreSQL works while node builds rows. */
const SEEDERS = Number(process.env['RINGBACK_BENCH_SEEDERS'] ?? 1);

// A bench cluster, not a test one: room for the hot data and fewer checkpoints during seeding.
const SETTINGS = [
  'shared_buffers=512MB', 'effective_cache_size=4GB', 'work_mem=16MB', 'maintenance_work_mem=256MB', 'wal_buffers=16MB',
  'max_wal_size=8GB', 'checkpoint_timeout=30min', 'fsync=on', 'synchronous_commit=on', 'max_connections=200',
];

export interface SeededCluster {
  pg: Postgres;
  calls: number;
  open: number;
  from: string;
  to: string;
  seededMs: number | null;
  /** A fresh copy of the seeded database for one run; its URL and how to drop it. */
  copy(): Promise<{ url: string; drop(): Promise<void> }>;
}

interface Marker { calls: number; open: number; from: string; to: string }

export async function seededCluster(calls: number, open: number, log: (line: string) => void): Promise<SeededCluster> {
  const root = join(CACHE, `pg-${calls}-${open}`);
  const markerPath = join(root, MARKER);
  let marker = await readFile(markerPath, 'utf8').then((t) => JSON.parse(t) as Marker, () => null);
  if (marker === null) await rm(join(root, 'cluster'), { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const cluster = await startPostgres({ dir: join(root, 'cluster'), settings: SETTINGS });
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };
  let seededMs: number | null = null;
  try {
    if (marker === null) {
      log(`seeding ${calls.toLocaleString('en')} calls (${open.toLocaleString('en')} open) into PostgreSQL at ${root} (${SEEDERS} engines) …`);
      const began = Date.now();
      const to = new Date().toISOString();
      const url = await cluster.createDatabase('seeded');
      const stores = [];
      for (let i = 0; i < SEEDERS; i++) stores.push(await openPostgresStore({ url, follow: false, poolSize: 2 }));
      await seedStores(stores, calls, open);
      // Vacuumed and analysed once: a copy made by file copy keeps the visibility map and the statistics.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try { await c.query('VACUUM ANALYZE'); } finally { await c.end(); }
      marker = { calls, open, from: new Date(Date.parse(to) - 30 * 86_400_000).toISOString(), to };
      seededMs = Date.now() - began;
      await writeFile(markerPath, `${JSON.stringify(marker)}\n`);
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  let n = 0;
  return {
    pg: cluster, ...marker, seededMs,
    async copy() {
      const name = `run_${process.pid}_${n++}`;
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE seeded STRATEGY FILE_COPY`));
      const url = cluster.url.replace(/\/postgres$/, `/${name}`);
      return { url, drop: () => admin(async (c) => { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); }) };
    },
  };
}
