import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTeam } from '../support/office.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { until } from '../support/until.ts';

const missing = await postgresMissing();

describe('the change log the instances follow does not grow with the years', { skip: missing ?? false }, () => {
  let server: Postgres;
  let url: string;
  let a: TestApp;
  let b: TestApp;
  let db: pg.Client;
  before(async () => {
    server = await startPostgres();
    url = await server.createDatabase('change_log');
    a = await startTestApp({ store: await openPostgresStore({ url }) });
    b = await startTestApp({ store: await openPostgresStore({ url }) });
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  const older = async (): Promise<number> =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM change_log WHERE at < now() - interval '1 hour'`)).rows[0]?.n);
  const mentioning = async (id: string): Promise<number> =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM change_log WHERE changes::text LIKE '%' || $1 || '%'`, [id])).rows[0]?.n);

  test('the jobs lease holder prunes what is older than an hour; newer commits stay and the instances keep following', async () => {
    const old = await createTeam(a.app, { name: 'Old news', extensions: ['71'] });
    // Every commit so far as if made two hours ago (the log is stamped by the database's clock).
    await db.query(`UPDATE change_log SET at = now() - interval '2 hours'`);
    const recent = await createTeam(a.app, { name: 'Recent', extensions: ['73'] });
    const stale = await older();
    assert.ok(stale >= 1 && await mentioning(old) === 1 && await mentioning(recent) === 1);
    const job = a.jobs.find((j) => j.name === 'change-log');
    assert.ok(job !== undefined, 'a scheduled job on PostgreSQL');
    assert.deepEqual(await job.run(a.clock.now()), { pruned: stale });
    assert.equal(await older(), 0);
    assert.equal(await mentioning(old), 0, 'the old commit is gone');
    assert.equal(await mentioning(recent), 1, 'the commit of the last hour is kept');
    await until(() => b.store.team(recent) !== undefined, 'the other instance has every team');
    const later = await createTeam(a.app, { name: 'Later', extensions: ['74'] });
    await until(() => b.store.team(later) !== undefined, 'and keeps following after the pruning');
  });
});
