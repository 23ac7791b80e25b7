/** @module Conformance: retention by whole days, erasing and rewriting old records, a torn write-ahead log. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/store/types.ts';
import { all, ids, inScope, type StoreEngine } from './conformance-kit.ts';
import { at, COLD, commitsOf, DAYS, expectedAttempts, expectedMissed, history, type History } from './conformance-data.ts';
import { attempt, missed } from './fixtures.ts';

const [D0 = '', D1 = '', D2 = ''] = DAYS;

/** What history answers, as one comparable value. */
async function everything(store: Store) {
  return { days: await store.history.days(), missed: await all(store.history.missedCalls({})), attempts: await all(store.history.attemptsIn({})) };
}

export function lifecycle(engine: StoreEngine): void {
  test('dropping the days before a day removes their calls from history and from hot reads, also after a restart', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      const h = history();
      let store = await open();
      for (const changes of commitsOf(h)) await store.commit(changes);
      store = await reopen(store);
      assert.deepEqual((await store.dropDaysBefore(D2)).sort(), [D0, D1]);
      const kept: History = { attempts: h.attempts.filter((a) => a.firstRingAt >= D2), missed: h.missed.filter((m) => m.firstAt >= D2) };
      for (const restart of [false, true]) {
        if (restart) store = await reopen(store);
        assert.deepEqual(await store.history.days(), DAYS.slice(2));
        assert.deepEqual(ids(await all(store.history.missedCalls({}))), ids(expectedMissed(kept, {})));
        assert.deepEqual(ids(await all(store.history.attemptsIn({}))), ids(expectedAttempts(kept, {})));
        assert.equal(await store.history.missedCall('m-0-1'), undefined);
        assert.equal((await store.history.attempts(['a-1-0', 'a-2-0'])).size, 1);
        // The entry left open on the oldest day went with its day.
        assert.equal(store.missedCall('m-old-open'), undefined);
        assert.equal(store.openMissed('sales').some((m) => m.id === 'm-old-open'), false);
      }
      assert.deepEqual(await store.dropDaysBefore(D1), [], 'a lower floor changes nothing');
    });
  });

  test('a late record for a dropped day is ignored and never comes back', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      await store.commit([{ t: 'attempt', v: attempt('a-keep', at(D2, '10:00:00')) }, { t: 'missed', v: missed('m-drop', at(D0, '10:00:00')) }]);
      await store.dropDaysBefore(D1);
      await store.commit([{ t: 'attempt', v: attempt('a-late', at(D0, '11:00:00')) }, { t: 'missed', v: missed('m-late', at(D0, '11:00:00')) }]);
      for (const restart of [false, true]) {
        if (restart) store = await reopen(store);
        assert.equal(await store.history.missedCall('m-late'), undefined);
        assert.equal(store.missedCall('m-late'), undefined);
        assert.equal((await store.history.attempts(['a-late'])).size, 0);
        assert.deepEqual(await store.history.days(), [D2]);
        assert.deepEqual(ids(await all(store.history.attemptsIn({}))), ['a-keep']);
      }
    });
  });

  test('rewriting and deleting records of an old day (erasure) shows in history at once and after a restart', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      const h = history();
      let store = await open();
      for (const changes of commitsOf(h)) await store.commit(changes);
      store = await reopen(store);
      const day = COLD[1] ?? '';
      const anon = { raw: '', e164: null, key: 'erased' };
      const rewritten = h.missed.filter((m) => m.firstAt.startsWith(day) && m.id !== 'm-1-2').map((m) => ({ ...m, caller: anon, callerName: '' }));
      const attempts = h.attempts.filter((a) => a.firstRingAt.startsWith(day)).map((a) => ({ ...a, caller: anon, callerName: '' }));
      await store.commit([...attempts.map((v) => ({ t: 'attempt' as const, v })), ...rewritten.map((v) => ({ t: 'missed' as const, v })), { t: 'del-missed', id: 'm-1-2' }]);
      const now: History = {
        attempts: h.attempts.map((a) => attempts.find((x) => x.id === a.id) ?? a),
        missed: h.missed.filter((m) => m.id !== 'm-1-2').map((m) => rewritten.find((x) => x.id === m.id) ?? m),
      };
      const expected = { days: DAYS, missed: expectedMissed(now, {}), attempts: expectedAttempts(now, {}) };
      assert.deepEqual(await everything(store), expected);
      assert.equal(await store.history.missedCall('m-1-2'), undefined);
      assert.equal(ids(await all(store.history.missedCalls({ caller: '+493020000' }))).includes('m-1-0'), false);
      store = await reopen(store);
      assert.deepEqual(await everything(store), expected);
    });
  });

  test('a torn write at the end of the log is dropped at open; everything acknowledged is there and the store takes new changes',
    { skip: engine.corruptTail === undefined && 'the engine has no write-ahead log to tear' }, async () => {
      await inScope(engine, async ({ location, open }) => {
        const h = history();
        let store = await open();
        for (const changes of commitsOf(h)) await store.commit(changes);
        const image = engine.crashImage === undefined ? null : await engine.crashImage(location);
        if (image === null) await store.close();
        const damaged = image?.location ?? location;
        try {
          await engine.corruptTail?.(damaged);
          store = await open({}, damaged);
          assert.deepEqual(await everything(store), { days: DAYS, missed: expectedMissed(h, {}), attempts: expectedAttempts(h, {}) });
          await store.commit([{ t: 'missed', v: missed('m-after', at(DAYS.at(-1) ?? '', '23:00:00')) }]);
          await store.close();
          store = await open({}, damaged);
          assert.equal((await store.history.missedCall('m-after'))?.id, 'm-after');
          assert.equal((await all(store.history.missedCalls({}))).length, h.missed.length + 1);
          await store.close();
        } finally {
          await image?.drop();
        }
      });
    });

  test('the store names every meta key and every collection holding records (what a copy of the whole store reads), also after a restart', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      assert.deepEqual(store.configNames(), { meta: [], collections: [] });
      await store.commit([
        { t: 'meta', key: 'audit.subject', value: 'k1' },
        { t: 'put', c: 'contacts', id: 'c1', v: { id: 'c1' } as never },
        { t: 'put', c: 'pbxSources', id: 'p1', v: { id: 'p1' } as never },
        { t: 'del', c: 'pbxSources', id: 'p1' },
      ]);
      await store.dropDaysBefore(D1);
      for (const restart of [false, true]) {
        if (restart) store = await reopen(store);
        const names = store.configNames();
        assert.deepEqual(names.meta.sort(), ['audit.subject', 'store.retentionFloor']);
        assert.deepEqual(names.collections, ['contacts'], 'a collection whose records were all deleted holds nothing to copy');
      }
    });
  });
}
