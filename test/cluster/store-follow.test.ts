import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Change } from '../../src/store/types.ts';
import { isCommitConflict } from '../../src/store/conflict.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import type { PgStore } from '../../src/store/postgres/pg-store.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { until } from '../support/until.ts';
import { attempt, missed, team } from '../store/fixtures.ts';

const missing = await postgresMissing();

describe('two instances on one PostgreSQL database', { skip: missing ?? false }, () => {
  let server: Postgres;
  let n = 0;
  let open: PgStore[] = [];
  const pair = async (): Promise<[PgStore, PgStore]> => {
    const url = await server.createDatabase(`follow_${++n}`);
    const a = await openPostgresStore({ url });
    const b = await openPostgresStore({ url });
    open.push(a, b);
    return [a, b];
  };
  before(async () => { server = await startPostgres(); });
  after(async () => {
    await Promise.all(open.map((s) => s.close()));
    open = [];
    await server?.stop();
  });

  test('a commit on one shows on the other at once: its reads, its revision and its listeners', async () => {
    const [a, b] = await pair();
    const heard: Change[] = [];
    b.onExternalChanges((changes) => heard.push(...changes));
    const before = b.revision();
    await a.commit([{ t: 'team', v: team('sales') }, { t: 'missed', v: missed('m1', '2026-11-26T08:00:00.000Z') }]);
    await until(() => b.openMissed('sales').length === 1, 'the entry on the other instance');
    assert.equal(b.team('sales')?.name, 'Team sales');
    assert.ok(b.revision() > before, 'screen caches keyed by the revision are invalidated');
    assert.deepEqual(heard.map((c) => c.t), ['team', 'missed']);
    // Its own commits are not heard back as another's.
    await b.commit([{ t: 'missed', v: missed('m1', '2026-11-26T08:00:00.000Z', { status: 'closed' }) }]);
    await until(() => a.openMissed('sales').length === 0, 'the status change back on the first');
    assert.deepEqual(heard.map((c) => c.t), ['team', 'missed']);
  });

  test('two instances correlating one call at once: the second commit is refused, and then its view holds the first', async () => {
    const [a, b] = await pair();
    const at = '2026-11-26T09:00:00.000Z';
    // Both built on the same view (neither has seen the other's attempt), about one caller and destination.
    const results = await Promise.allSettled([
      a.commit([{ t: 'attempt', v: attempt('from-a', at) }]),
      b.commit([{ t: 'attempt', v: attempt('from-b', at) }]),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1, 'exactly one of the two commits is kept');
    assert.ok(refused[0]?.status === 'rejected' && isCommitConflict(refused[0].reason));
    const loser = results[0]?.status === 'rejected' ? a : b;
    const winner = loser === a ? 'from-b' : 'from-a';
    assert.deepEqual(loser.latest().recentAttempts('sales', '+4930123456', '2026-11-26T00:00:00.000Z').map((x) => x.id), [winner]);
    // A commit about another caller is not held up by it.
    await loser.commit([{ t: 'attempt', v: attempt('other', at, { caller: { raw: '1', e164: null, key: '1' } }) }]);
    await until(() => (loser === a ? b : a).attempt('other') !== undefined, 'the other caller on both');
  });

  test('an instance whose notification connection is cut reconnects and catches up on what it missed', async () => {
    const [a, b] = await pair();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ringback-listen'`);
      await a.commit([{ t: 'team', v: team('support') }]);
      await until(() => b.team('support') !== undefined, 'the team on the cut-off instance');
      await until(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'ringback-listen'`)).rowCount === open.length,
        'every instance listening again');
      await a.commit([{ t: 'team', v: team('back-office') }]);
      await until(() => b.team('back-office') !== undefined, 'a later team, by notification');
    } finally {
      await admin.end();
    }
  });
});
