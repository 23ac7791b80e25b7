import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { attempt, caller, missed, phone, team, tempDir } from './fixtures.ts';

const at = (hhmm: string): string => `2026-05-04T${hhmm}:00.000Z`;

test('latest() shows changes in flight on top of the acknowledged state, in every hot read, and only those', async () => {
  const { dir, done } = await tempDir();
  const store = await openStore({ dir });
  try {
    await store.commit([
      { t: 'team', v: team('sales') }, { t: 'phone', v: phone('aa', 'tok-a') },
      { t: 'missed', v: missed('m1', at('09:00'), { caller: caller('+491') }) },
      { t: 'attempt', v: attempt('a1', at('09:00'), { caller: caller('+491'), pbxCallId: 'p1' }) },
    ]);
    const inFlight = store.commit([
      { t: 'missed', v: missed('m1', at('09:00'), { caller: caller('+491'), status: 'returned' }) },
      { t: 'missed', v: missed('m2', at('09:05'), { caller: caller('+491') }) },
      { t: 'attempt', v: attempt('a2', at('09:05'), { caller: caller('+491'), pbxCallId: 'p2' }) },
      { t: 'attempt', v: attempt('a1', at('09:00'), { caller: caller('+491'), pbxCallId: 'p9' }) },
      { t: 'phone', v: phone('aa', 'tok-b') }, { t: 'del-team', id: 'sales' }, { t: 'meta', key: 'k', value: 1 },
      { t: 'put', c: 'contacts', id: 'c1', v: { id: 'c1' } as never },
    ]);
    const l = store.latest();
    assert.deepEqual(l.openMissed('sales').map((m) => m.id), ['m2']);
    assert.equal(l.openMissedByCaller('sales', '+491')?.id, 'm2');
    assert.deepEqual(l.recentAttempts('sales', '+491', at('08:00')).map((a) => a.id), ['a2', 'a1']);
    assert.equal(l.attemptByPbxId('p2')?.id, 'a2');
    assert.equal(l.attemptByPbxId('p1'), undefined, 'its in-flight version has another PBX id');
    assert.equal(l.attemptByPbxId('p9')?.id, 'a1');
    assert.equal(l.phoneByToken('tok-a'), undefined);
    assert.equal(l.phoneByToken('tok-b')?.mac, 'aa');
    assert.equal(l.team('sales'), undefined);
    assert.deepEqual(l.teams(), []);
    assert.equal(l.meta('k'), 1);
    assert.deepEqual(l.list('contacts').map((c) => c.id), ['c1']);
    // What is shown is still the acknowledged state.
    assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m1']);
    assert.equal(store.phoneByToken('tok-a')?.mac, 'aa');
    await inFlight;
    assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m2']);
    assert.equal(store.attemptByPbxId('p9')?.id, 'a1');
    const after = store.latest();
    assert.equal(after.openMissedByCaller('sales', '+491')?.id, 'm2');
    assert.equal(after.attemptByPbxId('p1'), undefined);
    assert.equal(after.phoneByToken('tok-b')?.mac, 'aa');
  } finally {
    await store.close();
    await done();
  }
});
