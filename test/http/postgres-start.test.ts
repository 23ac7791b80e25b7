import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../store/fixtures.ts';
import { fireMissedCalls, listedCallers, missedCallUrl } from '../support/missed-load.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { spawnServer } from '../support/server-process.ts';
import { until } from '../support/until.ts';

const missing = await postgresMissing();

describe('the server on PostgreSQL (RINGBACK_DATABASE_URL)', { skip: missing ?? false }, () => {
  let pg: Postgres;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  test('acknowledged missed calls survive a restart, /readyz follows the database, and its password is never printed', async () => {
    const { dir, done } = await tempDir();
    const url = (await pg.createDatabase('server_start')).replace('postgres@', 'postgres:not-a-real-secret@');
    const env = { RINGBACK_DATABASE_URL: url };
    try {
      const first = await spawnServer(dir, env);
      const template = await missedCallUrl(first.base);
      const load = await fireMissedCalls(first.base, template, { prefix: '+4930', count: 200, concurrency: 20 });
      assert.equal(load.acked.length, 200);
      first.child.kill('SIGKILL'); // no shutdown work: whatever was answered 200 is in the database already
      await first.exited;

      const second = await spawnServer(dir, env);
      try {
        const listed = await listedCallers(second.base);
        for (const caller of load.acked) assert.ok(listed.has(caller), `acknowledged ${caller} is listed after the restart`);
        const ready = await fetch(`${second.base}/readyz`);
        assert.equal(ready.status, 200);

        await pg.halt();
        await until(async () => (await fetch(`${second.base}/readyz`)).status === 503, '/readyz to report the database', 20_000);
        const refused = await fetch(`${second.base}/api/teams`, {
          method: 'POST', headers: { Authorization: 'Bearer test-admin-token-0123456789', 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'Back office', extensions: ['21'] }),
        });
        assert.equal(refused.status, 503);
        assert.ok(refused.headers.get('retry-after') !== null);
        await pg.resume();
        await until(async () => (await fetch(`${second.base}/readyz`)).status === 200, '/readyz to recover', 20_000);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      const printed = [...first.output, ...second.output].join('\n');
      assert.ok(!printed.includes('not-a-real-secret'), 'the password never appears in the output');
    } finally {
      await done();
    }
  });
});
