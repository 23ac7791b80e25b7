/** @module Conformance: history reads (order, filters, cursors) and what hot reads answer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptQuery, Cursor, MissedQuery, Store } from '../../src/store/types.ts';
import { all, ids, inScope, take, type StoreEngine } from './conformance-kit.ts';
import { missed } from './fixtures.ts';
import { at, commitsOf, DAYS, dayRange, expectedAttempts, expectedMissed, history, HOT, isOpen, type History } from './conformance-data.ts';

/** Opens, commits the shared history, restarts (so older days are history, not memory) and runs `fn`. */
async function withHistory(engine: StoreEngine, fn: (store: Store, h: History) => Promise<void>): Promise<void> {
  await inScope(engine, async ({ open, reopen }) => {
    const h = history();
    const store = await open();
    for (const changes of commitsOf(h)) await store.commit(changes);
    await fn(await reopen(store), h);
  });
}

/** Every page of `read`, `size` at a time, each resuming after the previous page's last record. */
async function pages<T>(read: (after: Cursor | undefined) => AsyncIterable<T>, key: (t: T) => Cursor, size: number): Promise<T[][]> {
  const out: T[][] = [];
  let after: Cursor | undefined;
  for (;;) {
    const page = await take(read(after), size);
    if (page.length > 0) out.push(page);
    const last = page.at(-1);
    if (page.length < size || last === undefined) return out;
    const next = key(last);
    // A cursor that does not move would page forever: that is a failure, not a hang.
    assert.notDeepEqual(next, after, 'the next page started at the cursor again');
    after = next;
  }
}

const missedKey = (m: { firstAt: string; id: string }): Cursor => ({ at: m.firstAt, id: m.id });
const attemptKey = (a: { firstRingAt: string; id: string }): Cursor => ({ at: a.firstRingAt, id: a.id });

const MISSED_QUERIES: MissedQuery[] = [
  {}, { team: 'support' }, { status: 'returned' }, { status: 'pending' }, { caller: '+493020001' },
  { from: at(DAYS[2] ?? '', '09:30:00'), to: at(HOT[0] ?? '', '09:30:00') }, { team: 'sales', from: at(DAYS[1] ?? '', '00:00:00') },
];
const ATTEMPT_QUERIES: AttemptQuery[] = [{}, { destination: 'sales' }, dayRange(DAYS[3] ?? ''), { destination: 'support', to: at(HOT[1] ?? '', '09:30:00') }];

export function historyReads(engine: StoreEngine): void {
  test('history lists every matching record newest first, equal instants ordered by id, on hot and older days alike', async () => {
    await withHistory(engine, async (store, h) => {
      for (const q of MISSED_QUERIES) assert.deepEqual(ids(await all(store.history.missedCalls(q))), ids(expectedMissed(h, q)), JSON.stringify(q));
      for (const q of ATTEMPT_QUERIES) assert.deepEqual(ids(await all(store.history.attemptsIn(q))), ids(expectedAttempts(h, q)), JSON.stringify(q));
    });
  });

  test('paging with `after` gives every record exactly once, also when a page ends between records of the same instant', async () => {
    await withHistory(engine, async (store, h) => {
      for (const size of [1, 2, 3, 5, 8]) {
        for (const q of MISSED_QUERIES) {
          const got = await pages((after) => store.history.missedCalls({ ...q, ...(after === undefined ? {} : { after }) }), missedKey, size);
          assert.deepEqual(ids(got.flat()), ids(expectedMissed(h, q)), `size ${size} ${JSON.stringify(q)}`);
          assert.ok(got.every((p) => p.length <= size));
        }
        for (const q of ATTEMPT_QUERIES) {
          const got = await pages((after) => store.history.attemptsIn({ ...q, ...(after === undefined ? {} : { after }) }), attemptKey, size);
          assert.deepEqual(ids(got.flat()), ids(expectedAttempts(h, q)), `size ${size} ${JSON.stringify(q)}`);
        }
      }
    });
  });

  test('a call stored between two pages does not shift the next page', async () => {
    await withHistory(engine, async (store, h) => {
      const first = await take(store.history.missedCalls({}), 5);
      const last = first.at(-1);
      assert.ok(last);
      await store.commit([{ t: 'missed', v: missed('m-newer', at(HOT[1] ?? '', '23:00:00')) }]);
      const rest = await all(store.history.missedCalls({ after: missedKey(last) }));
      assert.deepEqual([...ids(first), ...ids(rest)], ids(expectedMissed(h, {})));
    });
  });

  test('history finds every record by id and lists the days holding calls, oldest first', async () => {
    await withHistory(engine, async (store, h) => {
      for (const m of h.missed) assert.deepEqual(await store.history.missedCall(m.id), m);
      const found = await store.history.attempts([...h.attempts.map((a) => a.id), 'no-such-attempt']);
      assert.equal(found.size, h.attempts.length);
      for (const a of h.attempts) assert.deepEqual(found.get(a.id), a);
      assert.equal(await store.history.missedCall('no-such-entry'), undefined);
      assert.deepEqual(await store.history.days(), DAYS);
    });
  });

  test('hot reads answer the open entries of any day, the calls of the newest days and their PBX ids, without waiting', async () => {
    await withHistory(engine, async (store, h) => {
      for (const team of ['sales', 'support']) {
        const open = h.missed.filter((m) => m.team === team && isOpen(m)).sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1));
        assert.deepEqual(ids(store.openMissed(team)), ids(open), team);
        for (const m of open) {
          assert.deepEqual(store.missedCall(m.id), m);
          assert.equal(store.openMissedByCaller(team, m.caller.key)?.id, m.id);
        }
      }
      assert.equal(store.missedCall('m-old-open')?.status, 'pending');
      const newest = HOT[1] ?? '';
      const recent = h.attempts.filter((a) => a.firstRingAt.startsWith(newest) && a.destination === 'sales' && a.caller.key === '+493020000');
      assert.deepEqual(ids(store.recentAttempts('sales', '+493020000', at(newest, '00:00:00'))), ids(recent));
      for (const a of h.attempts.filter((x) => x.pbxCallId !== null)) {
        assert.equal(store.attemptByPbxId(a.pbxCallId ?? '')?.id, a.id);
        assert.deepEqual(store.attempt(a.id), a);
      }
    });
  });

  test('an entry that is closed leaves the open lists and keeps its place in history', async () => {
    await withHistory(engine, async (store, h) => {
      const m = h.missed.find((x) => x.id === 'm-old-open');
      assert.ok(m);
      const closed = { ...m, status: 'returned' as const, returned: { at: at(HOT[1] ?? '', '08:00:00'), by: 'Anna', via: 'phone' as const, outcome: 'reached' as const } };
      await store.commit([{ t: 'missed', v: closed }]);
      assert.equal(store.openMissed('sales').some((x) => x.id === m.id), false);
      assert.equal(store.openMissedByCaller('sales', m.caller.key), undefined);
      assert.deepEqual(await store.history.missedCall(m.id), closed);
      assert.deepEqual(ids(await all(store.history.missedCalls({ status: 'returned', ...dayRange(DAYS[0] ?? '') }))),
        ids(expectedMissed({ ...h, missed: h.missed.map((x) => (x.id === m.id ? closed : x)) }, { status: 'returned', ...dayRange(DAYS[0] ?? '') })));
    });
  });
}
