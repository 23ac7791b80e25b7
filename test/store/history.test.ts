import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallAttempt, MissedCall } from '../../src/domain/types.ts';
import { openStore } from '../../src/store/embedded/open-store.ts';
import type { DayDerivation } from '../../src/store/types.ts';
import { all } from '../support/collect.ts';
import { attempt, missed, team, tempDir } from './fixtures.ts';

const D1 = '2026-11-20';
const D2 = '2026-11-21';
const at = (day: string, time = '09:00'): string => `${day}T${time}:00.000Z`;

/** How many records a day holds, and the zone of team sales it assumed. */
interface Tally { attempts: number; missed: number; zone: string | undefined; derivedAt: number }
let derives = 0;
const tally: DayDerivation<Tally> = {
  name: 'tally', version: 1,
  derive(_day: string, attempts: readonly CallAttempt[], m: readonly MissedCall[], config) {
    derives += 1;
    return { attempts: attempts.length, missed: m.length, zone: config.team('sales')?.timeZone, derivedAt: derives };
  },
};

async function withStore(fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<void>): Promise<void> {
  const { dir, done } = await tempDir();
  const store = await openStore({ dir, derivations: [tally] });
  try {
    await fn(store);
  } finally {
    await store.close();
    await done();
  }
}

test('history pages resume strictly after a cursor, across days, with equal instants ordered by id', async () => {
  await withStore(async (store) => {
    await store.commit([
      { t: 'missed', v: missed('m1', at(D1)) }, { t: 'missed', v: missed('m2', at(D1)) },
      { t: 'missed', v: missed('m3', at(D2)) }, { t: 'missed', v: missed('m4', at(D2, '10:00')) },
      { t: 'attempt', v: attempt('a1', at(D1)) }, { t: 'attempt', v: attempt('a2', at(D2)) },
    ]);
    const ids = async (after?: { at: string; id: string }): Promise<string[]> =>
      (await all(store.history.missedCalls(after === undefined ? {} : { after }))).map((m) => m.id);
    assert.deepEqual(await ids(), ['m4', 'm3', 'm2', 'm1']);
    assert.deepEqual(await ids({ at: at(D2), id: 'm3' }), ['m2', 'm1']);
    assert.deepEqual(await ids({ at: at(D1), id: 'm2' }), ['m1']);
    assert.deepEqual(await ids({ at: at(D1), id: 'm1' }), []);
    const calls = await all(store.history.attemptsIn({ after: { at: at(D2), id: 'a2' } }));
    assert.deepEqual(calls.map((a) => a.id), ['a1']);
  });
});

test('history finds records of any day by id and leaves out ids it does not hold', async () => {
  await withStore(async (store) => {
    await store.commit([{ t: 'missed', v: missed('m1', at(D1), { status: 'returned' }) }, { t: 'attempt', v: attempt('a1', at(D1)) }]);
    assert.equal((await store.history.missedCall('m1'))?.status, 'returned');
    assert.equal(await store.history.missedCall('nope'), undefined);
    assert.deepEqual([...(await store.history.attempts(['a1', 'nope'])).keys()], ['a1']);
    assert.deepEqual(await store.history.days(), [D1]);
  });
});

test('a day derivation is computed from exactly that day, recomputed after a change, and skips empty days', async () => {
  await withStore(async (store) => {
    await store.commit([
      { t: 'team', v: team('sales') },
      { t: 'missed', v: missed('m1', at(D1)) }, { t: 'attempt', v: attempt('a1', at(D1)) }, { t: 'attempt', v: attempt('a2', at(D1, '10:00')) },
      { t: 'missed', v: missed('m2', at(D2)) },
    ]);
    const values = await all(store.history.derived<Tally>('tally', ['2026-11-19', D1, D2]));
    assert.deepEqual(values.map((v) => [v.day, v.value.attempts, v.value.missed, v.value.zone]), [[D1, 2, 1, 'Europe/Berlin'], [D2, 0, 1, 'Europe/Berlin']]);
    const again = await all(store.history.derived<Tally>('tally', [D1]));
    assert.equal(again[0]?.value.derivedAt, values[0]?.value.derivedAt, 'nothing changed: the same value');
    await store.commit([{ t: 'attempt', v: attempt('a3', at(D1, '11:00')) }]);
    const after = await all(store.history.derived<Tally>('tally', [D1]));
    assert.equal(after[0]?.value.attempts, 3);
    await assert.rejects(all(store.history.derived('nope', [D1])), /no day derivation named nope/);
  });
});

test('history shows no change before it is durable', async () => {
  await withStore(async (store) => {
    const pending = store.commit([{ t: 'missed', v: missed('m1', at(D1)) }]);
    assert.equal(await store.history.missedCall('m1'), undefined);
    assert.deepEqual(await all(store.history.missedCalls({})), []);
    await pending;
    assert.equal((await store.history.missedCall('m1'))?.id, 'm1');
  });
});
