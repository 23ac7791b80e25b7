import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { CallAttempt, MissedCall } from '../../src/domain/types.ts';
import { isStoreUnavailable } from '../../src/store/unavailable.ts';
import type { DayDerivation } from '../../src/store/types.ts';
import { openPostgresStore, redactUrl } from '../../src/store/postgres/open.ts';
import { MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { attempt, caller, missed, phone, team } from './fixtures.ts';

const missing = await postgresMissing();

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('the PostgreSQL engine', { skip: missing ?? false }, () => {
  let server: Postgres;
  let n = 0;
  const fresh = () => server.createDatabase(`engine_${++n}`);
  before(async () => { server = await startPostgres(); });
  after(async () => { await server?.stop(); });

  test('what a commit acknowledged is there for the next start, in the order it was written', async () => {
    const url = await fresh();
    const a = await openPostgresStore({ url });
    await a.commit([{ t: 'team', v: team('sales') }, { t: 'team', v: team('support') }, { t: 'phone', v: phone('805ec0000001', 'tok1') }]);
    await a.commit([
      { t: 'put', c: 'contacts', id: 'c2', v: { id: 'c2' } as never }, { t: 'put', c: 'contacts', id: 'c1', v: { id: 'c1' } as never },
      { t: 'meta', key: 'greeting', value: { hello: 'world' } },
      { t: 'missed', v: missed('m1', '2026-11-26T08:00:00.000Z') },
      { t: 'attempt', v: attempt('a1', '2026-11-26T08:00:00.000Z', { pbxCallId: 'pbx-1' }) },
    ]);
    await a.commit([{ t: 'team', v: team('sales', { name: 'Sales desk' }) }, { t: 'del', c: 'contacts', id: 'c2' },
      { t: 'put', c: 'contacts', id: 'c2', v: { id: 'c2', again: true } as never }]);
    await a.close();

    const b = await openPostgresStore({ url });
    try {
      assert.deepEqual(b.teams().map((t) => [t.id, t.name]), [['sales', 'Sales desk'], ['support', 'Team support']]);
      assert.equal(b.phoneByToken('tok1')?.mac, '805ec0000001');
      assert.deepEqual(b.list('contacts').map((c) => c.id), ['c1', 'c2']);
      assert.deepEqual(b.meta('greeting'), { hello: 'world' });
      assert.deepEqual(b.openMissed('sales').map((m) => m.id), ['m1']);
      assert.equal(b.attemptByPbxId('pbx-1')?.id, 'a1');
      assert.equal(b.recentAttempts('sales', '+4930123456', '2026-11-26T07:59:00.000Z').length, 1);
    } finally {
      await b.close();
    }
  });

  test('two instances starting at once on an empty database both open, and the schema is created once', async () => {
    const url = await fresh();
    const [a, b] = await Promise.all([openPostgresStore({ url }), openPostgresStore({ url })]);
    await a.commit([{ t: 'team', v: team('sales') }]);
    await Promise.all([a.close(), b.close()]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>('SELECT version FROM ringback_schema ORDER BY version');
    await client.end();
    assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
  });

  test('history pages through every call newest first, resuming after a cursor, with filters', async () => {
    const store = await openPostgresStore({ url: await fresh() });
    try {
      const calls: MissedCall[] = [];
      for (let i = 0; i < 1200; i++) {
        const at = new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * 3_600_000).toISOString();
        calls.push(missed(`m${String(i).padStart(4, '0')}`, at, {
          team: i % 2 === 0 ? 'sales' : 'support', status: i % 3 === 0 ? 'returned' : 'pending', caller: caller(`+49${i % 7}`),
        }));
      }
      await store.commit(calls.map((v) => ({ t: 'missed', v })));
      const all = await collect(store.history.missedCalls({}));
      assert.equal(all.length, 1200);
      assert.deepEqual(all.slice(0, 2).map((m) => m.id), ['m1199', 'm1198']);
      const afterCursor = await collect(store.history.missedCalls({ after: { at: all[99]!.firstAt, id: all[99]!.id } }));
      assert.deepEqual(afterCursor.map((m) => m.id), all.slice(100).map((m) => m.id));
      const sales = await collect(store.history.missedCalls({ team: 'sales', status: 'returned', caller: '+493' }));
      const expected = calls.filter((m) => m.team === 'sales' && m.status === 'returned' && m.caller.key === '+493').reverse();
      assert.deepEqual(sales.map((m) => m.id), expected.map((m) => m.id));
      const range = await collect(store.history.missedCalls({ from: '2026-11-02', to: '2026-11-03' }));
      assert.equal(range.length, 24);
      assert.equal((await store.history.missedCall('m0000'))?.id, 'm0000');
      const days = await store.history.days();
      assert.equal(days[0], '2026-11-01');
      assert.equal(days.length, 50);
    } finally {
      await store.close();
    }
  });

  test('closed calls of older days leave memory but stay in history; open ones stay in memory', async () => {
    const url = await fresh();
    const store = await openPostgresStore({ url, hotDays: 2 });
    try {
      await store.commit([
        { t: 'missed', v: missed('old-closed', '2026-11-20T08:00:00.000Z', { status: 'returned' }) },
        { t: 'missed', v: missed('old-open', '2026-11-20T09:00:00.000Z', { caller: caller('+4911') }) },
        { t: 'attempt', v: attempt('old-attempt', '2026-11-20T08:00:00.000Z') },
      ]);
      assert.equal(store.missedCall('old-closed')?.id, 'old-closed', 'hot while its day is one of the newest');
      await store.commit([{ t: 'attempt', v: attempt('a-25', '2026-11-25T08:00:00.000Z') }]);
      await store.commit([{ t: 'attempt', v: attempt('a-26', '2026-11-26T08:00:00.000Z') }]);
      assert.equal(store.missedCall('old-closed'), undefined);
      assert.equal(store.attempt('old-attempt'), undefined);
      assert.equal(store.missedCall('old-open')?.id, 'old-open');
      assert.equal(store.latest().attempt('old-attempt'), undefined);
      assert.equal((await store.history.missedCall('old-closed'))?.status, 'returned');
      assert.equal((await store.history.attempts(['old-attempt', 'nope'])).size, 1);
    } finally {
      await store.close();
    }
    const again = await openPostgresStore({ url, hotDays: 2 });
    try {
      assert.equal(again.missedCall('old-closed'), undefined);
      assert.deepEqual(again.openMissed('sales').map((m) => m.id), ['old-open']);
      assert.equal(again.attempt('a-25')?.id, 'a-25');
    } finally {
      await again.close();
    }
  });

  test('retention drops whole days from history and from memory, and late data for them is ignored', async () => {
    const store = await openPostgresStore({ url: await fresh() });
    try {
      await store.commit([
        { t: 'missed', v: missed('m1', '2026-11-01T08:00:00.000Z') }, { t: 'missed', v: missed('m2', '2026-11-02T08:00:00.000Z') },
        { t: 'attempt', v: attempt('a1', '2026-11-01T08:00:00.000Z') },
      ]);
      assert.deepEqual(await store.dropDaysBefore('2026-11-02'), ['2026-11-01']);
      assert.deepEqual(await store.history.days(), ['2026-11-02']);
      assert.equal(store.missedCall('m1'), undefined);
      await store.commit([{ t: 'missed', v: missed('late', '2026-11-01T09:00:00.000Z') }]);
      assert.equal(await store.history.missedCall('late'), undefined);
      assert.equal(store.meta('store.retentionFloor'), '2026-11-02');
    } finally {
      await store.close();
    }
  });

  test('a day value is computed once and recomputed only after the day changed', async () => {
    let runs = 0;
    const count: DayDerivation<{ attempts: number; missed: number }> = {
      name: 'count', version: 1,
      derive(_day: string, attempts: readonly CallAttempt[], m: readonly MissedCall[]) {
        runs += 1;
        return { attempts: attempts.length, missed: m.length };
      },
    };
    const url = await fresh();
    const store = await openPostgresStore({ url, derivations: [count as DayDerivation] });
    try {
      await store.commit([{ t: 'missed', v: missed('m1', '2026-11-01T08:00:00.000Z') }, { t: 'attempt', v: attempt('a1', '2026-11-02T08:00:00.000Z') }]);
      const first = await collect(store.history.derived<{ attempts: number; missed: number }>('count', ['2026-11-01', '2026-11-02']));
      assert.deepEqual(first, [{ day: '2026-11-01', value: { attempts: 0, missed: 1 } }, { day: '2026-11-02', value: { attempts: 1, missed: 0 } }]);
      assert.equal(runs, 2);
      await collect(store.history.derived('count', ['2026-11-01', '2026-11-02']));
      assert.equal(runs, 2, 'stored values are reused');
      await store.commit([{ t: 'missed', v: missed('m2', '2026-11-01T09:00:00.000Z') }]);
      const after = await collect(store.history.derived<{ missed: number }>('count', ['2026-11-01', '2026-11-02']));
      assert.equal(after[0]?.value.missed, 2);
      assert.equal(runs, 3, 'only the changed day is derived again');
      await store.commit([{ t: 'del-missed', id: 'm1' }, { t: 'del-missed', id: 'm2' }]);
      const emptied = await collect(store.history.derived('count', ['2026-10-31', '2026-11-01', '2026-11-02']));
      assert.deepEqual(emptied.map((v) => v.day), ['2026-11-02'], 'days without call data have no value');
      await assert.rejects(collect(store.history.derived('nothing-registered', ['2026-11-02'])), /no day derivation/);
    } finally {
      await store.close();
    }
  });

  test('older days\' values are derived ahead of any report, once, and again only for a day that changed', async () => {
    const derivedDays: string[] = [];
    const count: DayDerivation<{ attempts: number }> = {
      name: 'count', version: 1,
      derive(day: string, attempts: readonly CallAttempt[]) {
        derivedDays.push(day);
        return { attempts: attempts.length };
      },
    };
    const url = await fresh();
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
    const store = await openPostgresStore({ url, derivations: [count as DayDerivation], deriveAheadAfterMs: null });
    try {
      for (const [i, day] of days.entries()) await store.commit([{ t: 'attempt', v: attempt(`a${i}`, `${day}T08:00:00.000Z`) }]);
      assert.equal(await store.deriveAhead(), 2, 'the two days older than the hot ones');
      assert.deepEqual(derivedDays.sort(), ['2026-11-01', '2026-11-02']);
      const values = await collect(store.history.derived<{ attempts: number }>('count', days));
      assert.deepEqual(values.map((v) => [v.day, v.value.attempts]), days.map((d) => [d, 1]));
      assert.deepEqual(derivedDays.sort(), ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'], 'a report derives only the hot days, from memory');
      assert.equal(await store.deriveAhead(), 0);
      await store.commit([{ t: 'attempt', v: attempt('late', '2026-11-02T09:00:00.000Z') }]);
      assert.equal(await store.deriveAhead(), 1);
      const late = await collect(store.history.derived<{ attempts: number }>('count', ['2026-11-02']));
      assert.deepEqual(late, [{ day: '2026-11-02', value: { attempts: 2 } }]);
      assert.equal(derivedDays.length, 5, 'the report read the value derived ahead');
    } finally {
      await store.close();
    }
  });

  test('a commit the database cannot take is refused with a 503-style error, is never shown, and the store recovers', async () => {
    const url = await fresh();
    const store = await openPostgresStore({ url });
    try {
      await store.commit([{ t: 'team', v: team('sales') }]);
      await server.halt();
      let failed: unknown;
      try {
        await store.commit([{ t: 'missed', v: missed('m1', '2026-11-26T08:00:00.000Z') }]);
      } catch (e) {
        failed = e;
      }
      assert.ok(isStoreUnavailable(failed), `expected StoreUnavailableError, got ${String(failed)}`);
      assert.equal(store.missedCall('m1'), undefined);
      assert.equal(store.latest().missedCall('m1'), undefined);
      assert.ok(store.unavailable() !== null, 'readiness reports the database');
      await server.resume();
      await store.commit([{ t: 'missed', v: missed('m2', '2026-11-26T08:00:00.000Z') }]);
      assert.equal(store.unavailable(), null);
      assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m2']);
    } finally {
      await store.close();
    }
  });

  test('strings PostgreSQL cannot hold (NUL, lone surrogates, our own escape mark) are kept exactly and found by them', async () => {
    const url = await fresh();
    const odd = 'a\u0000b \ud800 \udc00x \uE000m \\u0000 \ud83d\ude00';
    const store = await openPostgresStore({ url });
    const m = missed(`m${odd}`, '2026-11-20T08:00:00.000Z', { status: 'returned', callerName: odd, caller: { raw: odd, e164: null, key: odd } });
    try {
      await store.commit([
        { t: 'missed', v: m }, { t: 'team', v: team(`t${odd}`, { name: odd }) },
        { t: 'meta', key: `k${odd}`, value: { [odd]: odd } },
        { t: 'put', c: 'contacts', id: `c${odd}`, v: { id: `c${odd}`, name: odd } as never },
      ]);
      assert.deepEqual(await store.history.missedCall(m.id), m);
      assert.deepEqual((await collect(store.history.missedCalls({ caller: odd }))).map((x) => x.id), [m.id]);
      assert.deepEqual((await collect(store.history.missedCalls({ caller: '\u0000b' }))).map((x) => x.id), [m.id], 'a raw substring with NUL');
      assert.equal(await store.history.missedCall('no\u0000such'), undefined);
    } finally {
      await store.close();
    }
    const again = await openPostgresStore({ url });
    try {
      assert.equal(again.team(`t${odd}`)?.name, odd);
      assert.deepEqual(again.meta(`k${odd}`), { [odd]: odd });
      assert.deepEqual(again.list('contacts'), [{ id: `c${odd}`, name: odd }]);
      assert.deepEqual(await again.history.missedCall(m.id), m);
    } finally {
      await again.close();
    }
  });

  test('the password of the database URL is in no error message', async () => {
    const url = 'postgres://ringback:s3cret-pw@127.0.0.1:1/ringback';
    assert.equal(redactUrl(url), 'postgres://ringback:***@127.0.0.1:1/ringback');
    await assert.rejects(openPostgresStore({ url }), (e: Error) => !e.message.includes('s3cret-pw') && e.message.includes('***'));
  });
});
