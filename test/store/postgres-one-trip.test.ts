import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { quoted } from '../../src/store/postgres/write.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { isStoreUnavailable } from '../../src/store/unavailable.ts';
import { until } from '../support/until.ts';
import { attempt, missed, team } from './fixtures.ts';

const missing = await postgresMissing();

/** Texts a dollar-quoted literal must survive: its own tags, inside, at the ends, and cut short. */
const HOSTILE = ['', '$', '$$', '$rb$', 'x$rb', '$rb', 'rb$', '$rb0$ $rb$ $rb1$', "it's", 'back\\slash', '$rb$\'; COMMIT; DROP TABLE attempts; --',
  'a\u0000b \ud800 \uE000m \ud83d\ude00'];

/** Counts the queries the store's connections send while `fn` runs (the real queries still go to the database). */
async function queriesDuring(fn: () => Promise<void>): Promise<string[]> {
  const sent: string[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    sent.push(typeof q === 'string' ? q : String((q as { text?: unknown } | null)?.text ?? ''));
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return sent;
}

describe('PostgreSQL commits of phone events', { skip: missing ?? false }, () => {
  let server: Postgres;
  let n = 0;
  const fresh = () => server.createDatabase(`trip_${++n}`);
  before(async () => { server = await startPostgres(); });
  after(async () => { await server?.stop(); });

  test('a dollar-quoted literal reads back as exactly the text it quotes, whatever the text holds', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      for (const text of HOSTILE) {
        const plain = text.replace(/\u0000|[\ud800-\udfff]/g, '?'); // a literal is text: PostgreSQL holds neither
        const { rows } = await client.query<{ v: string }>(`SELECT ${quoted(plain)} AS v`);
        assert.equal(rows[0]?.v, plain);
      }
    } finally {
      await client.end();
    }
  });

  test('a group of call records is committed in one round trip to the database, and kept', async () => {
    const url = await fresh();
    const store = await openPostgresStore({ url, follow: false });
    const at = '2026-11-26T08:00:00.000Z';
    try {
      await store.commit([{ t: 'team', v: team('sales') }]);
      const sent = await queriesDuring(() => store.commit([
        { t: 'attempt', v: attempt('a1', at, { missedCallId: 'm1' }) }, { t: 'missed', v: missed('m1', at, { attemptIds: ['a1'] }) },
      ]));
      assert.equal(sent.length, 1, `one query, not: ${sent.join(' | ')}`);
      assert.match(sent[0] ?? '', /^BEGIN;[\s\S]*COMMIT$/);
    } finally {
      await store.close();
    }
    const again = await openPostgresStore({ url, follow: false });
    try {
      assert.deepEqual(again.openMissed('sales').map((m) => m.id), ['m1']);
      assert.equal(again.attempt('a1')?.missedCallId, 'm1');
      assert.equal((await again.history.missedCall('m1'))?.attemptIds[0], 'a1');
    } finally {
      await again.close();
    }
  });

  test('a group that writes one call record several times keeps the last version, in memory and in the database', async () => {
    const url = await fresh();
    const store = await openPostgresStore({ url, follow: false });
    const at = '2026-11-26T08:00:00.000Z';
    const later = '2026-11-27T09:00:00.000Z';
    try {
      await store.commit([{ t: 'team', v: team('sales') }]);
      // Commits queued behind one in flight are written as one group: the same records, three times.
      await Promise.all([
        store.commit([{ t: 'attempt', v: attempt('a1', at) }, { t: 'missed', v: missed('m1', at) }]),
        store.commit([{ t: 'missed', v: missed('m1', at, { status: 'assigned', assignee: 'Anna' }) }]),
        store.commit([{ t: 'attempt', v: attempt('a1', later, { callerName: 'Last' }) }, { t: 'missed', v: missed('m1', at, { status: 'returned' }) }]),
      ]);
      assert.equal(store.missedCall('m1')?.status, 'returned');
    } finally {
      await store.close();
    }
    const again = await openPostgresStore({ url, follow: false });
    try {
      assert.equal((await again.history.missedCall('m1'))?.status, 'returned');
      assert.equal(again.attempt('a1')?.callerName, 'Last');
      assert.deepEqual(await again.history.days(), ['2026-11-26', '2026-11-27'], 'the attempt moved to the day of its last version');
    } finally {
      await again.close();
    }
  });

  test('a group whose database connection is ended while it waits is refused as unavailable, and the store goes on', async () => {
    const url = await fresh();
    const store = await openPostgresStore({ url, follow: false });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    const at = '2026-11-26T08:00:00.000Z';
    const call = (id: string) => [{ t: 'attempt' as const, v: attempt(`a-${id}`, at) }, { t: 'missed' as const, v: missed(`m-${id}`, at) }];
    const waiting = async () => (await holder.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity
      WHERE application_name = 'ringback' AND wait_event_type = 'Lock' AND wait_event = 'advisory'`)).rows.map((r) => r.pid);
    try {
      await store.commit([{ t: 'team', v: team('sales') }]);
      await holder.query('SELECT pg_advisory_lock(7260114)'); // the change lock: the group waits for it
      const lost = store.commit(call('1'));
      await until(async () => (await waiting()).length === 1, 'the group waiting for the lock');
      await holder.query('SELECT pg_terminate_backend($1)', [(await waiting())[0]]);
      await holder.query('SELECT pg_advisory_unlock(7260114)');
      await assert.rejects(lost, (e: unknown) => isStoreUnavailable(e));
      assert.equal(store.latest().attempt('a-1'), undefined);
      await store.commit(call('2'));
      assert.equal(store.attempt('a-2')?.id, 'a-2', 'the store takes commits again');
      const ids = await holder.query<{ id: string }>('SELECT id FROM attempts ORDER BY id');
      assert.deepEqual(ids.rows.map((r) => r.id), ['a-2']);
    } finally {
      await holder.end();
      await store.close();
    }
  });

  test('call records whose strings hold dollar quotes, quotes, backslashes and what PostgreSQL cannot hold are kept exactly', async () => {
    const url = await fresh();
    const store = await openPostgresStore({ url, follow: false });
    const records = HOSTILE.map((odd, i) => {
      const at = `2026-11-26T08:0${i % 10}:00.000Z`;
      const who = { raw: odd, e164: null, key: `k${i}${odd}` };
      return { a: attempt(`a${i}${odd}`, at, { callerName: odd, caller: who }), m: missed(`m${i}${odd}`, at, { callerName: odd, caller: who }) };
    });
    try {
      await store.commit([{ t: 'team', v: team('sales') }]);
      await store.commit(records.flatMap(({ a, m }) => [{ t: 'attempt' as const, v: a }, { t: 'missed' as const, v: m }]));
    } finally {
      await store.close();
    }
    const again = await openPostgresStore({ url, follow: false });
    try {
      for (const { a, m } of records) {
        assert.deepEqual(again.attempt(a.id), a);
        assert.deepEqual(await again.history.missedCall(m.id), m);
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        assert.equal(Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM attempts')).rows[0]?.n), HOSTILE.length);
      } finally {
        await client.end();
      }
    } finally {
      await again.close();
    }
  });
});
