/**
 * Test support: the store engine the suite runs on. `RINGBACK_TEST_ENGINE=postgres` (set by
 * `npm run test:postgres`, which starts the cluster) opens each test app's store in a database of
 * its own on that cluster, named after the app's data dir, so a test that restarts its app on the
 * same dir finds its data again. Unset: the embedded engine in the dir, as always.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/store/embedded/open-store.ts';
import type { DurableStore } from '../../src/store/durable-store.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import type { DayDerivation } from '../../src/store/types.ts';

export const TEST_ENGINE = process.env.RINGBACK_TEST_ENGINE === 'postgres' ? 'postgres' : 'embedded';

export async function openTestStore(dir: string, derivations: readonly DayDerivation[] = []): Promise<DurableStore> {
  if (TEST_ENGINE === 'embedded') return openStore({ dir, derivations });
  return openPostgresStore({ url: await databaseFor(dir), derivations });
}

/** The database of a data dir on the test cluster (created on first use). */
export async function databaseFor(dir: string): Promise<string> {
  const admin = process.env.RINGBACK_TEST_DATABASE_URL;
  if (admin === undefined) throw new Error('RINGBACK_TEST_ENGINE=postgres needs RINGBACK_TEST_DATABASE_URL: run the tests with `npm run test:postgres -- <files>`');
  const name = `t_${createHash('sha256').update(dir).digest('hex').slice(0, 20)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
