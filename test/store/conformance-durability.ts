/** @module Conformance: a resolved commit survives a restart, replays are one record, nothing unacknowledged shows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contact } from '../../src/domain/contacts.ts';
import type { Change } from '../../src/store/types.ts';
import { all, ids, inScope, type StoreEngine } from './conformance-kit.ts';
import { at, DAYS, dayRange } from './conformance-data.ts';
import { attempt, caller, missed, phone, team } from './fixtures.ts';

const OLD = DAYS[0] ?? '';
const contact = (id: string, name: string): Contact => ({
  id, name, company: '', numbers: [], crmId: '', vip: false, createdAt: at(OLD, '08:00:00'), updatedAt: at(OLD, '08:00:00'),
});
const NEW = DAYS.at(-1) ?? '';

export function durability(engine: StoreEngine): void {
  test('a change whose commit resolved is there after a restart: inventory, settings, collections and calls of any day', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      await store.commit([
        { t: 'team', v: team('sales') }, { t: 'team', v: team('gone') }, { t: 'phone', v: phone('001565aabbcc', 'tok-1') },
        { t: 'meta', key: 'conformance.setting', value: { n: 3 } },
        { t: 'put', c: 'contacts', id: 'c1', v: contact('c1', 'Ada') }, { t: 'put', c: 'contacts', id: 'c2', v: contact('c2', 'Bob') },
        { t: 'attempt', v: attempt('a-old', at(OLD, '10:00:00')) }, { t: 'missed', v: missed('m-old', at(OLD, '10:00:00'), { status: 'returned' }) },
        { t: 'attempt', v: attempt('a-new', at(NEW, '10:00:00')) }, { t: 'missed', v: missed('m-new', at(NEW, '10:00:00')) },
      ]);
      await store.commit([{ t: 'del-team', id: 'gone' }, { t: 'del', c: 'contacts', id: 'c2' }]);
      store = await reopen(store);
      assert.deepEqual(store.teams().map((t) => t.id), ['sales']);
      assert.equal(store.phoneByToken('tok-1')?.mac, '001565aabbcc');
      assert.deepEqual(store.meta('conformance.setting'), { n: 3 });
      assert.deepEqual(store.list('contacts').map((c) => c.id), ['c1']);
      assert.deepEqual(ids(store.openMissed('sales')), ['m-new']);
      assert.equal((await store.history.missedCall('m-old'))?.status, 'returned');
      assert.deepEqual([...(await store.history.attempts(['a-old', 'a-new'])).keys()].sort(), ['a-new', 'a-old']);
      assert.deepEqual(await store.history.days(), [OLD, NEW]);
    });
  });

  test('a crash right after commits resolved loses none of them', { skip: engine.crashImage === undefined && 'the engine gives no crash image' }, async () => {
    await inScope(engine, async ({ location, open }) => {
      const store = await open();
      await Promise.all(Array.from({ length: 60 }, (_, i) => store.commit([{ t: 'missed', v: missed(`m${i}`, at(NEW, `10:${String(i).padStart(2, '0')}:00`), { caller: caller(`+4930555${i}`) }) }])));
      const image = await engine.crashImage?.(location);
      assert.ok(image);
      try {
        const again = await open({}, image.location);
        assert.equal(again.openMissed('sales').length, 60);
        assert.equal((await all(again.history.missedCalls({}))).length, 60);
        await again.close();
      } finally {
        await image.drop();
      }
    });
  });

  test('concurrent commits from many writers are each durable', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      await Promise.all(Array.from({ length: 200 }, (_, i) =>
        store.commit([{ t: 'attempt', v: attempt(`a${i}`, at(NEW, '11:00:00'), { caller: caller(`+4930666${i}`) }) }])));
      store = await reopen(store);
      assert.equal((await all(store.history.attemptsIn(dayRange(NEW)))).length, 200);
    });
  });

  test('the same change committed twice, also across a restart, is one record', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      const m = missed('m1', at(OLD, '09:00:00'), { attemptIds: ['a1'] });
      const batch: Change[] = [{ t: 'attempt', v: attempt('a1', at(OLD, '09:00:00'), { missedCallId: 'm1' }) }, { t: 'missed', v: m }];
      await Promise.all([store.commit(batch), store.commit(batch)]);
      await store.commit(batch);
      store = await reopen(store);
      await store.commit(batch);
      for (const restart of [false, true]) {
        if (restart) store = await reopen(store);
        assert.deepEqual(ids(await all(store.history.missedCalls({}))), ['m1']);
        assert.deepEqual(ids(await all(store.history.attemptsIn({}))), ['a1']);
        assert.deepEqual(ids(store.openMissed('sales')), ['m1']);
        assert.deepEqual(await store.history.days(), [OLD]);
      }
    });
  });

  test('a change is not shown before its commit resolves; the writer sees it at once through latest()', async () => {
    await inScope(engine, async ({ open }) => {
      const store = await open();
      await store.commit([{ t: 'team', v: team('sales') }]);
      const revision = store.revision();
      const durable = store.commit([{ t: 'missed', v: missed('m1', at(NEW, '09:00:00')) }, { t: 'attempt', v: attempt('a1', at(NEW, '09:00:00')) }]);
      // Synchronously after commit(): not acknowledged yet.
      assert.equal(store.missedCall('m1'), undefined);
      assert.deepEqual(store.openMissed('sales'), []);
      assert.equal(store.openMissedByCaller('sales', '+4930123456'), undefined);
      assert.equal(store.revision(), revision);
      assert.equal(store.latest().missedCall('m1')?.id, 'm1');
      assert.equal(store.latest().openMissedByCaller('sales', '+4930123456')?.id, 'm1');
      await durable;
      assert.ok(store.revision() > revision);
      assert.deepEqual(ids(store.openMissed('sales')), ['m1']);
      assert.equal((await store.history.missedCall('m1'))?.id, 'm1');
    });
  });

  test('a batch with one malformed change is refused whole and nothing of it is kept', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      const bad = { t: 'missed', v: { id: 'm-bad' } } as unknown as Change;
      await assert.rejects(store.commit([{ t: 'missed', v: missed('m-good', at(NEW, '09:00:00')) }, bad]));
      assert.equal(store.latest().missedCall('m-good'), undefined);
      assert.deepEqual(store.openMissed('sales'), []);
      store = await reopen(store);
      assert.equal(await store.history.missedCall('m-good'), undefined);
      assert.deepEqual(await store.history.days(), []);
    });
  });
  test('any text a caller can send (U+0000, a lone surrogate) in a name is kept and fails no commit of others', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open();
      const hostile = 'Anna\u0000\uD800 <x>\uDC00 \u{1F469}\u200D\u{1F467}';
      await Promise.all([
        store.commit([{ t: 'missed', v: { ...missed('m-hostile', at(NEW, '09:00:00')), callerName: hostile } }]),
        store.commit([{ t: 'missed', v: missed('m-plain', at(NEW, '09:01:00')) }]),
      ]);
      store = await reopen(store);
      const kept = (await store.history.missedCall('m-hostile'))?.callerName;
      // An engine that cannot hold U+0000 or a lone surrogate keeps U+FFFD in its place, nothing else changes.
      const replaced = 'Anna\uFFFD\uFFFD <x>\uFFFD \u{1F469}\u200D\u{1F467}';
      assert.ok(kept === hostile || kept === replaced, `kept ${JSON.stringify(kept)}`);
      assert.equal((await store.history.missedCall('m-plain'))?.id, 'm-plain');
      assert.equal(await store.history.missedCall('m-\u0000'), undefined);
    });
  });
}
