/**
 * The PostgreSQL side of `bench:scale`: a cluster of Debian's PostgreSQL 15 on loopback (the test
 * harness's), tuned for a bench but with fsync and synchronous_commit ON (a 2xx still means COMMIT),
 * seeded into a database `seeded` and kept under bench/.cache/ with a marker, like the embedded
 * data dir. Seeding is bulk SQL (seed-postgres.ts: the same rows the contract writes, ~100× faster)
 * unless RINGBACK_BENCH_PG_SEED=contract; then the engine derives the older days' report values
 * (PgStore.deriveAhead, what a running instance does in the background). Each run measures a file
 * copy of it (CREATE DATABASE … TEMPLATE), so the server's writes never reach the cached seed.
 * RINGBACK_BENCH_PG_SETTINGS adds server settings for one run (space-separated, e.g. to profile:
 * `shared_preload_libraries=pg_stat_statements track_wal_io_timing=on`); the cached seed is the same.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { reportDayDerivation } from '../src/services/reports.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { startPostgres, type Postgres } from '../test/support/postgres.ts';
import { bulkSeedPostgres } from './seed-postgres.ts';
import { DAY_MS, planOf, seedStores } from './seed.ts';

const CACHE = join(import.meta.dirname, '.cache');
const MARKER = 'bench-seeded.json';
/** Concurrent seeding engines: each commits its own groups, so PostgreSQL works while node builds rows. */
const SEEDERS = Number(process.env['RINGBACK_BENCH_SEEDERS'] ?? 1);
const BY_CONTRACT = process.env['RINGBACK_BENCH_PG_SEED'] === 'contract';
/** Bumped when what is seeded changes (2: derived values stored, bulk seed, the span in the key). */
const FORMAT = 2;
/** RINGBACK_TIME_ZONE of the measured server (scale-server.ts): the zone its report derivation is built with. */
const SERVER_ZONE = 'Europe/Berlin';

// A bench cluster, not a test one: room for the hot data and fewer checkpoints during seeding.
const SETTINGS = [
  'shared_buffers=512MB', 'effective_cache_size=4GB', 'work_mem=16MB', 'maintenance_work_mem=256MB', 'wal_buffers=16MB',
  'max_wal_size=8GB', 'checkpoint_timeout=30min', 'fsync=on', 'synchronous_commit=on', 'max_connections=200',
  // More settings for one run, e.g. to profile (`shared_preload_libraries=pg_stat_statements`); space-separated.
  ...(process.env['RINGBACK_BENCH_PG_SETTINGS'] ?? '').split(' ').filter((s) => s !== ''),
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

/** `days`: the calls are spread over that many days before the seed (30 unless RINGBACK_BENCH_DAYS). */
export async function seededCluster(calls: number, open: number, log: (line: string) => void, days = 30): Promise<SeededCluster> {
  const root = join(CACHE, `pg${FORMAT}-${calls}-${open}-${days}d${BY_CONTRACT ? '-contract' : ''}`);
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
      log(`seeding ${calls.toLocaleString('en')} calls (${open.toLocaleString('en')} open) over ${days} days into PostgreSQL at ${root} (${BY_CONTRACT ? `${SEEDERS} engines, through the store contract` : 'bulk SQL'}) …`);
      const began = Date.now();
      const plan = planOf(calls, open, days, began);
      const to = new Date(plan.start + plan.spanMs).toISOString();
      const url = await cluster.createDatabase('seeded');
      if (BY_CONTRACT) {
        const stores = [];
        for (let i = 0; i < SEEDERS; i++) stores.push(await openPostgresStore({ url, follow: false, poolSize: 2, deriveAheadAfterMs: null }));
        await seedStores(stores, plan);
      } else {
        await bulkSeedPostgres(url, plan, 2, log);
      }
      log(`  seeded in ${((Date.now() - began) / 1000).toFixed(0)} s; deriving the older days' report values …`);
      // What an instance running through those days would have stored: the same engine code, the server's derivations.
      const store = await openPostgresStore({ url, follow: false, poolSize: 3, deriveAheadAfterMs: null, derivations: [reportDayDerivation(SERVER_ZONE)] });
      try { log(`  ${await store.deriveAhead()} days derived`); } finally { await store.close(); }
      // Vacuumed and analysed once: a copy made by file copy keeps the visibility map and the statistics.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try { await c.query('VACUUM ANALYZE'); } finally { await c.end(); }
      // The report window: the last 30 days of the seed.
      marker = { calls, open, from: new Date(Date.parse(to) - 30 * DAY_MS).toISOString(), to };
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
