/** @module Conformance: per-day derived values always equal a fresh derive over the day's current records. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallAttempt, MissedCall } from '../../src/domain/types.ts';
import type { DayDerivation, Store } from '../../src/store/types.ts';
import { all, inScope, type StoreEngine } from './conformance-kit.ts';
import { at, COLD, commitsOf, DAYS, dayRange, history, HOT } from './conformance-data.ts';
import { attempt, missed } from './fixtures.ts';

interface Tally { attempts: string[]; missed: string[] }

/** What a day holds, order-free: any change to a day's records changes it. */
function tally(version: number): DayDerivation<Tally> {
  return {
    name: 'conformance-tally', version,
    derive: (_day, attempts: readonly CallAttempt[], missedCalls: readonly MissedCall[]) => ({
      attempts: attempts.map((a) => `${a.id}:${a.outcome}:${a.caller.key}:v${version}`).sort(),
      missed: missedCalls.map((m) => `${m.id}:${m.status}:${m.caller.key}`).sort(),
    }),
  };
}

/**
 * The derived values of `days`: one for each day holding call data, in the order asked, each equal
 * to a derive over the day's records as history returns them now.
 */
async function compare(store: Store, d: DayDerivation<Tally>, days: readonly string[]): Promise<void> {
  const got: { day: string; value: Tally }[] = [];
  for await (const x of store.history.derived<Tally>(d.name, days)) got.push(x);
  const want: { day: string; value: Tally }[] = [];
  for (const day of days) {
    const attempts = await all(store.history.attemptsIn(dayRange(day)));
    const missedCalls = await all(store.history.missedCalls(dayRange(day)));
    if (attempts.length > 0 || missedCalls.length > 0) want.push({ day, value: d.derive(day, attempts, missedCalls, store) });
  }
  assert.deepEqual(got, want);
}

export function derivedValues(engine: StoreEngine): void {
  test('derived values of hot and older days equal a fresh derive, also after late changes to old days and a restart', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      const d = tally(1);
      const h = history();
      let store = await open({ derivations: [d] });
      for (const changes of commitsOf(h)) await store.commit(changes);
      await compare(store, d, DAYS);
      store = await reopen(store, { derivations: [d] });
      await compare(store, d, DAYS);

      const old = COLD[0] ?? '';
      const entry = h.missed.find((m) => m.id === 'm-0-1');
      assert.ok(entry);
      await store.commit([
        { t: 'missed', v: { ...entry, status: 'ignored' } },
        { t: 'attempt', v: attempt('a-late', at(old, '21:00:00'), { outcome: 'answered' }) },
        { t: 'del-missed', id: 'm-2-0' },
        // A record whose instant moves files it under another day: both days change.
        { t: 'missed', v: missed('m-3-3', at(COLD[1] ?? '', '22:00:00'), { status: 'returned' }) },
      ]);
      await compare(store, d, DAYS);
      store = await reopen(store, { derivations: [d] });
      await compare(store, d, DAYS);
      // Dropped days hold no data: no value is left for them.
      await store.dropDaysBefore(COLD[2] ?? '');
      await compare(store, d, DAYS);
    });
  });

  test('a derivation whose version changed is recomputed for every day, not read back from before', async () => {
    await inScope(engine, async ({ open, reopen }) => {
      let store = await open({ derivations: [tally(1)] });
      for (const changes of commitsOf(history())) await store.commit(changes);
      await compare(store, tally(1), DAYS);
      store = await reopen(store, { derivations: [tally(2)] });
      await compare(store, tally(2), DAYS);
      store = await reopen(store, { derivations: [tally(2)] });
      await compare(store, tally(2), [...HOT, ...COLD].reverse());
    });
  });
}
