import assert from 'node:assert/strict';
import { readFile, truncate, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BLOCK_RECORDS } from '../../src/store/embedded/day-file.ts';
import { readDayFile } from '../../src/store/embedded/day-file-io.ts';
import { writeFileDurably } from '../../src/store/embedded/durable-file.ts';
import type { Change } from '../../src/store/types.ts';
import { all } from '../support/collect.ts';
import { attempt, missed, team, withSeededStore, type OpenSeeded } from './fixtures.ts';

const OLD = '2026-03-02';
const NEW = '2026-03-05';
const BUSY = 2_000;
/** Record k of the busy old day: one a 40 s apart, from midnight on. */
const at = (k: number): string => new Date(Date.parse(`${OLD}T00:00:00.000Z`) + k * 40_000).toISOString();

/** A busy old day (cold: only the newest day is hot) and a newer one; every old entry closed. */
async function withBusyDay(fn: (ctx: { dir: string; open: OpenSeeded }) => Promise<void>): Promise<void> {
  await withSeededStore({ hotDays: 1 }, async (store) => {
    const changes: Change[] = [{ t: 'team', v: team('sales') }];
    for (let k = 0; k < BUSY; k++) {
      changes.push({ t: 'attempt', v: attempt(`a${k}`, at(k), { missedCallId: `m${k}` }) });
      changes.push({ t: 'missed', v: missed(`m${k}`, at(k), { attemptIds: [`a${k}`], status: 'returned' }) });
    }
    changes.push({ t: 'missed', v: missed('new', `${NEW}T08:00:00.000Z`) });
    await store.commit(changes);
  }, fn);
}

async function firstOf<T>(items: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const t of items) {
    out.push(t);
    if (out.length === n) break;
  }
  return out;
}

test('a page of history on a busy old day parses about the records it returns, not the whole day', async () => {
  await withBusyDay(async ({ open }) => {
    const store = await open();
    const day = { from: `${OLD}T00:00:00.000Z`, to: `${OLD}T23:59:59.999Z` };
    const first = await firstOf(store.history.missedCalls(day), 50);
    assert.deepEqual(first.map((m) => m.id), Array.from({ length: 50 }, (_, i) => `m${BUSY - 1 - i}`), 'newest first');
    assert.ok(store.stats.coldRecordsParsed <= BLOCK_RECORDS, `parsed ${store.stats.coldRecordsParsed}`);

    const cursor = { at: at(1000), id: 'm1000' };
    let before = store.stats.coldRecordsParsed;
    const next = await firstOf(store.history.missedCalls({ ...day, after: cursor }), 50);
    assert.deepEqual(next.map((m) => m.id), Array.from({ length: 50 }, (_, i) => `m${999 - i}`), 'a page resumes right after its cursor');
    assert.ok(store.stats.coldRecordsParsed - before <= 2 * BLOCK_RECORDS, `parsed ${store.stats.coldRecordsParsed - before}`);

    before = store.stats.coldRecordsParsed;
    const hour = await all(store.history.attemptsIn({ from: `${OLD}T10:00:00.000Z`, to: `${OLD}T11:00:00.000Z` }));
    assert.equal(hour.length, 90, 'one hour holds 90 calls 40 s apart');
    assert.ok(store.stats.coldRecordsParsed - before <= 90 + 2 * BLOCK_RECORDS, `parsed ${store.stats.coldRecordsParsed - before}`);

    before = store.stats.coldRecordsParsed;
    const ids = ['a5', 'a777', 'a1999', 'nope'];
    assert.deepEqual([...(await store.history.attempts(ids)).keys()].sort(), ['a1999', 'a5', 'a777']);
    assert.equal((await store.history.missedCall('m1234'))?.firstAt, at(1234));
    assert.equal(store.stats.coldRecordsParsed - before, 4, 'a lookup by id parses the records asked for');
    assert.equal(store.stats.coldDayReads, 0, 'no day was parsed whole');
    assert.equal(store.stats.hotRecords, 1, 'and none of it stayed in memory');
  });
});

test('a late change to an old day is in every page at once, before and after the day file is rewritten', async () => {
  await withBusyDay(async ({ dir, open }) => {
    const store = await open();
    const old = await store.history.missedCall('m1500');
    await store.commit([{ t: 'missed', v: { ...(old as NonNullable<typeof old>), status: 'closed' } }, { t: 'del-missed', id: 'm1499' }]);
    const page = async () => (await firstOf(store.history.missedCalls({ after: { at: at(1501), id: 'm1501' } }), 3))
      .map((m) => `${m.id}:${m.status}`);
    assert.deepEqual(await page(), ['m1500:closed', 'm1498:returned', 'm1497:returned']);
    await store.flush();
    assert.deepEqual(await page(), ['m1500:closed', 'm1498:returned', 'm1497:returned']);
    const file = await readDayFile(dir, OLD);
    assert.equal(file?.format, 2);
    assert.equal(file?.data.missed.length, BUSY - 1);
    assert.equal(file?.data.missed.find((m) => m.id === 'm1500')?.status, 'closed');
  });
});

test('day files written by an earlier version ({attempts, missed}) are still read, and rewritten in the new form at the next snapshot after a read', async () => {
  await withBusyDay(async ({ dir, open }) => {
    const file = join(dir, 'calls', `${OLD}.json`);
    const data = (await readDayFile(dir, OLD))?.data;
    assert.ok(data !== undefined);
    // An earlier version wrote the arrays in commit order, as one JSON document.
    await writeFileDurably(file, JSON.stringify({ attempts: [...data.attempts].reverse(), missed: [...data.missed].reverse() }));
    const store = await open();
    assert.deepEqual((await firstOf(store.history.missedCalls({ to: `${NEW}T00:00:00.000Z` }), 2)).map((m) => m.id), ['m1999', 'm1998']);
    assert.equal((await store.history.attempts(['a3'])).get('a3')?.firstRingAt, at(3));
    assert.equal(store.stats.coldDayReads, 1, 'parsed whole once, then served from the parse');
    assert.equal((await readFile(file, 'utf8')).startsWith('{"attempts"'), true, 'not rewritten by a read');

    await store.commit([{ t: 'missed', v: missed('later', `${NEW}T09:00:00.000Z`) }]);
    await store.flush();
    const after = await readDayFile(dir, OLD);
    assert.equal(after?.format, 2, 'the snapshot rewrote it');
    assert.deepEqual(after?.data.missed.map((m) => m.id), data.missed.map((m) => m.id));
    await store.close();
    const again = await open();
    assert.equal((await again.history.missedCall('m42'))?.firstAt, at(42));
    assert.equal(again.stats.coldDayReads, 0);
  });
});

test('a day file cut short (a torn copy of the data dir) is refused, naming the file, never read as fewer calls', async () => {
  await withBusyDay(async ({ dir, open }) => {
    const file = join(dir, 'calls', `${OLD}.json`);
    await truncate(file, Math.floor((await stat(file)).size / 2));
    // Its index no longer matches it, so the start reads it for its open entries, and stops there.
    await assert.rejects(open(), (err: Error) => err.message.includes(file) && /not a readable Ringback day file/.test(err.message));
  });
});

test('history of a hot day stays newest first across inserts, moves and deletes between reads', async () => {
  await withBusyDay(async ({ open }) => {
    const store = await open();
    const day = { from: `${NEW}T00:00:00.000Z`, to: `${NEW}T23:59:59.999Z` };
    const t = (min: number) => new Date(Date.parse(day.from) + min * 60_000).toISOString();
    await store.commit(Array.from({ length: 100 }, (_, i): Change => ({ t: 'missed', v: missed(`h${i}`, t(i * 7 % 100)) })));
    const ids = async () => (await all(store.history.missedCalls(day))).map((m) => `${m.id}@${m.firstAt.slice(11, 16)}`);
    const expected = (records: { id: string; firstAt: string }[]) => [...records]
      .sort((a, b) => (a.firstAt !== b.firstAt ? (a.firstAt > b.firstAt ? -1 : 1) : a.id > b.id ? -1 : 1))
      .map((m) => `${m.id}@${m.firstAt.slice(11, 16)}`);
    const kept = new Map<string, { id: string; firstAt: string }>([['new', { id: 'new', firstAt: `${NEW}T08:00:00.000Z` }]]);
    for (let i = 0; i < 100; i++) kept.set(`h${i}`, { id: `h${i}`, firstAt: t(i * 7 % 100) });
    assert.deepEqual(await ids(), expected([...kept.values()]));
    for (let round = 0; round < 3; round++) {
      const moved = `h${round * 10}`;
      await store.commit([
        { t: 'missed', v: missed(moved, t(500 + round)) },
        { t: 'missed', v: missed(`x${round}`, t(30 + round)) },
        { t: 'del-missed', id: `h${round * 10 + 5}` },
      ]);
      kept.set(moved, { id: moved, firstAt: t(500 + round) });
      kept.set(`x${round}`, { id: `x${round}`, firstAt: t(30 + round) });
      kept.delete(`h${round * 10 + 5}`);
      assert.deepEqual(await ids(), expected([...kept.values()]), `round ${round}`);
    }
  });
});
