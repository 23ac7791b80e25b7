import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseLeases, soleInstance } from '../../src/cluster/leases.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';

const missing = await postgresMissing();

test('one embedded instance holds every lease', async () => {
  const leases = soleInstance();
  assert.equal(await leases.acquire('jobs'), true);
  assert.equal(await leases.acquire('ami:env'), true);
});

describe('leases in the database', { skip: missing ?? false }, () => {
  let server: Postgres;
  before(async () => { server = await startPostgres(); });
  after(async () => { await server?.stop(); });

  test('a lease has one holder; it passes on when the holder gives it up, closes, or its session dies', async () => {
    const url = await server.createDatabase('leases');
    const log = (): void => undefined;
    const a = databaseLeases(url, log);
    const b = databaseLeases(url, log);
    const c = databaseLeases(url, log);
    try {
      assert.equal(await a.acquire('jobs'), true);
      assert.equal(await b.acquire('jobs'), false, 'held by another instance');
      assert.equal(await a.acquire('jobs'), true, 'still held by its holder');
      assert.deepEqual(await b.holders(['jobs', 'ami:none']), [
        { name: 'jobs', holder: a.self, here: false }, { name: 'ami:none', holder: null, here: false }], 'where each lease is held');
      assert.deepEqual(await a.holders(['jobs']), [{ name: 'jobs', holder: a.self, here: true }]);
      assert.equal(await b.acquire('ami:env'), true, 'leases are independent');
      await b.release('ami:env');
      assert.equal(await a.acquire('ami:env'), true);

      await a.close();
      assert.equal(await b.acquire('jobs'), true, 'free once its holder closed');
      // The holder's session dies (its process was killed, its host vanished): the lease is free at once.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks l JOIN pg_stat_activity s USING (pid)
        WHERE l.locktype = 'advisory' AND s.application_name LIKE 'ringback-leases %'`);
      await admin.end();
      assert.equal(await c.acquire('jobs'), true);
      assert.equal(await b.acquire('jobs'), false, 'the old holder learns it lost the lease');
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
