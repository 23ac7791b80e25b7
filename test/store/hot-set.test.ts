import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MissedCall } from '../../src/domain/types.ts';
import { readDayFile } from '../../src/store/embedded/day-file-io.ts';
import { writeFileDurably } from '../../src/store/embedded/durable-file.ts';
import type { Change } from '../../src/store/types.ts';
import { all } from '../support/collect.ts';
import { attempt, caller, crashImage, missed, team, withSeededStore, type OpenSeeded, countDerivation } from './fixtures.ts';

const DAYS = Array.from({ length: 30 }, (_, i) => `2026-04-${String(i + 1).padStart(2, '0')}`);
const PER_DAY = 10;
const at = (day: string, k: number): string => `${day}T09:${String(k).padStart(2, '0')}:00.000Z`;

/** How many records a day holds, computed by the store next to each day file. */
const count = countDerivation();

/** 30 days of calls, PER_DAY attempts and missed calls a day; the first missed call of each day is still open. */
async function withHistory(fn: (ctx: { dir: string; open: OpenSeeded }) => Promise<void>): Promise<void> {
  await withSeededStore({ derivations: [count] }, async (store) => {
    await store.commit([{ t: 'team', v: team('sales') }]);
    for (const day of DAYS) {
      const changes: Change[] = [];
      for (let k = 0; k < PER_DAY; k++) {
        const who = caller(k === 3 ? '+4930555123' : `+49301${day.slice(8)}${k}`);
        changes.push({ t: 'attempt', v: attempt(`a-${day}-${k}`, at(day, k), { caller: who }) });
        changes.push({ t: 'missed', v: missed(`m-${day}-${k}`, at(day, k), { caller: who, status: k === 0 ? 'pending' : 'returned' }) });
      }
      await store.commit(changes);
    }
  }, fn);
}

test('a restart with 30 days of history holds only the hot days and the open entries in memory, and reads no other day file', async () => {
  await withHistory(async ({ open }) => {
    const store = await open();
    // The two newest days whole (attempts and missed calls), plus one open entry of each older day.
    assert.equal(store.stats.hotRecords, 2 * 2 * PER_DAY + 28);
    assert.equal(store.stats.coldDayReads, 0);
    assert.equal(store.openMissed('sales').length, 30, 'every open entry, of any day, is a hot read');
    assert.equal(store.missedCall(`m-${DAYS[0]}-1`), undefined, 'a closed entry of an old day is history');
    assert.equal(store.missedCall(`m-${DAYS[29]}-1`)?.status, 'returned', 'one of a hot day is not');
    assert.deepEqual(await store.history.days(), DAYS);
    assert.equal((await all(store.history.missedCalls({}))).length, 30 * PER_DAY);
    assert.equal(store.stats.coldDayReads, 0, 'no cold day was parsed whole');
    assert.equal(store.stats.coldRecordsParsed, 28 * PER_DAY, 'history parsed each missed call of the cold days once, and no attempt');
    assert.equal(store.stats.hotRecords, 2 * 2 * PER_DAY + 28, 'and kept none of them in the hot set');
  });
});

test('a late change to a closed entry of an old day shows in history at once and survives a crash, a snapshot and a restart', async () => {
  await withHistory(async ({ dir, open }) => {
    const store = await open();
    const id = `m-${DAYS[2]}-5`;
    const old = await store.history.missedCall(id);
    assert.equal(old?.status, 'returned');
    await store.commit([{ t: 'missed', v: { ...(old as MissedCall), status: 'closed' } }]);
    assert.equal((await store.history.missedCall(id))?.status, 'closed');
    assert.deepEqual((await all(store.history.missedCalls({ status: 'closed' }))).map((m) => m.id), [id]);
    const crashed = await open({}, await crashImage(dir));
    assert.equal((await crashed.history.missedCall(id))?.status, 'closed', 'replayed from the journal');
    await store.flush();
    const file = (await readDayFile(dir, DAYS[2] as string))?.data ?? { missed: [] };
    assert.equal(file.missed.find((m) => m.id === id)?.status, 'closed', 'merged into the day file');
    assert.equal(file.missed.length, PER_DAY);
    await store.close();
    const again = await open();
    assert.equal((await again.history.missedCall(id))?.status, 'closed');
    assert.equal(again.stats.replayed, 0);
  });
});

test('erasing a number reaches the files of cold days, and a deleted old entry is gone from history and disk', async () => {
  await withHistory(async ({ dir, open }) => {
    const store = await open();
    const mine = (await all(store.history.missedCalls({ caller: '+4930555123' })));
    assert.equal(mine.length, 30);
    const calls = await store.history.attempts(mine.map((m) => m.id.replace('m-', 'a-')));
    const anonymous = { raw: '', e164: null, key: '' };
    await store.commit([
      ...mine.map((m): Change => ({ t: 'missed', v: { ...m, caller: anonymous } })),
      ...[...calls.values()].map((a): Change => ({ t: 'attempt', v: { ...a, caller: anonymous } })),
      { t: 'del-missed', id: `m-${DAYS[1]}-7` },
    ]);
    assert.equal((await all(store.history.missedCalls({ caller: '+4930555123' }))).length, 0);
    assert.equal(await store.history.missedCall(`m-${DAYS[1]}-7`), undefined);
    await store.flush();
    for (const name of await readdir(join(dir, 'calls'))) {
      assert.doesNotMatch(await readFile(join(dir, 'calls', name), 'utf8'), /4930555123/, name);
    }
    const day1 = (await readDayFile(dir, DAYS[1] as string))?.data ?? { missed: [] };
    assert.equal(day1.missed.some((m) => m.id === `m-${DAYS[1]}-7`), false);
    await store.close();
    const again = await open();
    assert.equal(await again.history.missedCall(`m-${DAYS[1]}-7`), undefined);
    assert.equal((await all(again.history.missedCalls({ caller: '+4930555123' }))).length, 0);
  });
});

test('derived values of cold days are read from their files, and retention deletes a day with what was derived from it', async () => {
  await withHistory(async ({ dir, open }) => {
    const store = await open();
    count.runs = 0;
    const values = await all(store.history.derived<{ attempts: number }>('count', DAYS));
    assert.equal(values.length, 30);
    assert.ok(values.every((v) => v.value.attempts === PER_DAY));
    assert.equal(count.runs, 0, 'none was derived again: each was written with its file, and memory holds the hot days as their files are');
    await store.commit([{ t: 'attempt', v: attempt('late', at(DAYS[29] as string, 59)) }]);
    const newest = await all(store.history.derived<{ attempts: number }>('count', [DAYS[29] as string]));
    assert.deepEqual([newest[0]?.value.attempts, count.runs], [PER_DAY + 1, 1], 'a hot day that changed is derived from memory');
    assert.equal(store.stats.coldDayReads, 0);
    assert.ok((await readdir(join(dir, 'derived'))).includes(`${DAYS[0]}.count.json`));

    assert.deepEqual(await store.dropDaysBefore(DAYS[3] as string), DAYS.slice(0, 3));
    const left = await readdir(join(dir, 'calls'));
    for (const day of DAYS.slice(0, 3)) {
      assert.ok(!left.some((name) => name.startsWith(day)), `${day}: ${left.join(' ')}`);
      assert.ok(!(await readdir(join(dir, 'index'))).some((name) => name.startsWith(day)));
      assert.ok(!(await readdir(join(dir, 'derived'))).some((name) => name.startsWith(day)));
    }
    assert.deepEqual((await all(store.history.derived('count', DAYS))).map((v) => v.day), DAYS.slice(3));
  });
});

test('day files of an earlier version (one JSON document) are parsed whole, at most coldCacheRecords of them kept between reads', async () => {
  await withHistory(async ({ dir, open }) => {
    await toFormat1(dir, DAYS);
    const store = await open({ coldCacheRecords: 3 * 2 * PER_DAY });
    for (let pass = 0; pass < 2; pass++) {
      assert.equal((await all(store.history.attemptsIn({}))).length, 30 * PER_DAY);
      assert.ok(store.stats.coldRecordsCached <= 3 * 2 * PER_DAY, `cached: ${store.stats.coldRecordsCached}`);
      assert.equal(store.stats.coldDaysCached, 3);
    }
    assert.equal(store.stats.coldDayReads, 2 * 28, 'a full pass evicts what the next pass needs first');
    const before = store.stats.coldDayReads;
    const day10 = { from: `${DAYS[9]}T00:00:00.000Z`, to: `${DAYS[9]}T23:59:59.999Z` };
    assert.equal((await all(store.history.attemptsIn(day10))).length, PER_DAY);
    assert.equal((await all(store.history.attemptsIn(day10))).length, PER_DAY);
    assert.equal(store.stats.coldDayReads, before + 1, 'a day read again soon comes from the cache');
  });
});

/** Rewrites day files the way versions before format 2 wrote them: `{"attempts":[…],"missed":[…]}`. */
async function toFormat1(dir: string, days: readonly string[]): Promise<void> {
  for (const day of days) {
    const read = await readDayFile(dir, day);
    if (read !== null) await writeFileDurably(join(dir, 'calls', `${day}.json`), JSON.stringify(read.data));
  }
}

test('a data dir without day indexes (an earlier version) starts with every open entry, reading each cold day once', async () => {
  await withHistory(async ({ dir, open }) => {
    await rm(join(dir, 'index'), { recursive: true });
    const logs: string[] = [];
    const store = await open({ log: (msg) => logs.push(msg) });
    assert.equal(store.openMissed('sales').length, 30);
    assert.ok(logs.some((l) => l.includes('without a current index')));
    assert.equal((await readdir(join(dir, 'index'))).length, 28, 'the cold days\' indexes are written at once');
    await store.close();
    logs.length = 0;
    const again = await open({ log: (msg) => logs.push(msg) });
    assert.equal(again.openMissed('sales').length, 30);
    assert.ok(!logs.some((l) => l.includes('without a current index')));
  });
});

test('a copy of the data dir (cp -a, a restored backup) keeps its day indexes and derived values: no day file is read at start', async () => {
  await withHistory(async ({ dir, open }) => {
    const logs: string[] = [];
    const copy = `${dir}-copy`;
    const { spawnSync } = await import('node:child_process');
    assert.equal(spawnSync('cp', ['-a', dir, copy]).status, 0);
    try {
      const store = await open({ log: (msg) => logs.push(msg) }, copy);
      assert.ok(!logs.some((l) => l.includes('without a current index')), logs.join('\n'));
      count.runs = 0;
      assert.equal((await all(store.history.derived('count', DAYS))).length, 30);
      assert.equal(count.runs, 0, 'every value read from the copy');
      await store.close();
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
