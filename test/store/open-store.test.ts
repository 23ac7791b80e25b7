import assert from 'node:assert/strict';
import { appendFile, copyFile, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DurableStore, OpenStoreOptions } from '../../src/store/embedded/open-store.ts';
import type { MissedQuery } from '../../src/store/types.ts';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { attempt, caller, crashImage, missed, phone, team, tempDir } from './fixtures.ts';
import { all } from '../support/collect.ts';

const D1 = '2026-03-01';
const D2 = '2026-03-02';
const D3 = '2026-03-03';
const at = (day: string, hhmm = '09:00', sec = '00'): string => `${day}T${hhmm}:${sec}.000Z`;

interface LogLine { msg: string; fields: object | undefined }

/** Opens a store and remembers it (and its copies) for cleanup. */
async function withDir(fn: (ctx: {
  dir: string;
  open: (o?: Partial<OpenStoreOptions>, dir?: string) => Promise<DurableStore>;
  logs: LogLine[];
}) => Promise<void>): Promise<void> {
  const { dir, done } = await tempDir();
  const opened: DurableStore[] = [];
  const dirs: string[] = [];
  const logs: LogLine[] = [];
  const open = async (o: Partial<OpenStoreOptions> = {}, d = dir): Promise<DurableStore> => {
    if (d !== dir) dirs.push(d);
    const s = await openStore({ dir: d, log: (msg, fields) => logs.push({ msg, fields }), ...o });
    opened.push(s);
    return s;
  };
  try {
    await fn({ dir, open, logs });
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    await done();
  }
}

async function segments(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'journal'))).sort();
}

test('a committed change is found after a clean reopen and after a crash', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([
      { t: 'team', v: team('sales') },
      { t: 'phone', v: phone('001565aabbcc', 'tok-1') },
      { t: 'attempt', v: attempt('a1', at(D1)) },
      { t: 'missed', v: missed('m1', at(D1)) },
      { t: 'meta', key: 'schema', value: 3 },
    ]);
    const image = await crashImage(dir);
    await store.close();

    for (const d of [dir, image]) {
      const again = await open({}, d);
      assert.equal(again.team('sales')?.name, 'Team sales');
      assert.equal(again.phoneByToken('tok-1')?.mac, '001565aabbcc');
      assert.equal(again.attempt('a1')?.firstRingAt, at(D1));
      assert.equal(again.missedCall('m1')?.status, 'pending');
      assert.equal(again.meta<number>('schema'), 3);
      assert.deepEqual(await again.history.days(), [D1]);
    }
  });
});

test('a commit is shown only once it is durable, while the next writer already builds on it; one JSON line per change', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    const revision = store.revision();
    const done = store.commit([{ t: 'attempt', v: attempt('a1', at(D1)) }, { t: 'del-team', id: 'x' }]);
    assert.equal(store.attempt('a1'), undefined, 'not shown before its fsync');
    assert.equal(store.revision(), revision);
    assert.equal(store.latest().attempt('a1')?.id, 'a1', 'writers see it at once');
    await done;
    assert.equal(store.attempt('a1')?.id, 'a1');
    assert.equal(store.revision(), revision + 2);
    const [seg] = await segments(dir);
    const lines = (await readFile(join(dir, 'journal', seg ?? ''), 'utf8')).trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { t: string }).t), ['attempt', 'del-team']);
  });
});

test('500 concurrent commits share far fewer journal write+fsync rounds than commits', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    // 50 callers, each committing 10 times in a row, like 50 phones posting events.
    let n = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      for (let k = 0; k < 10; k++) {
        const i = n++;
        await store.commit([{ t: 'attempt', v: attempt(`a${i}`, at(D1, '09:00', String(i % 60).padStart(2, '0'))) }]);
      }
    }));
    assert.equal(store.stats.commits, 500);
    assert.equal(store.stats.changes, 500);
    assert.ok(store.stats.journalBatches <= 50, `batches: ${store.stats.journalBatches}`);

    // 500 issued in one burst: the first batch takes them all.
    const before = store.stats.journalBatches;
    await Promise.all(Array.from({ length: 500 }, (_, i) =>
      store.commit([{ t: 'missed', v: missed(`m${i}`, at(D2)) }])));
    assert.ok(store.stats.journalBatches - before <= 2, `burst batches: ${store.stats.journalBatches - before}`);

    const [seg] = await segments(dir);
    const text = await readFile(join(dir, 'journal', seg ?? ''), 'utf8');
    assert.equal(text.split('\n').length - 1, 1000);
  });
});

test('a snapshot writes day files of one record a line in history order, cuts the journal, and a reopen merges both', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([
      { t: 'team', v: team('sales') },
      { t: 'attempt', v: attempt('a1', at(D1)) },
      { t: 'missed', v: missed('m1', at(D1)) },
      { t: 'missed', v: missed('m2', at(D2)) },
    ]);
    await store.flush();
    assert.deepEqual((await readdir(join(dir, 'calls'))).sort(), [`${D1}.json`, `${D2}.json`]);
    assert.deepEqual(await segments(dir), [], 'segments covered by the snapshot are deleted');
    const day1 = (await readFile(join(dir, 'calls', `${D1}.json`), 'utf8')).split('\n');
    assert.equal(day1[0], '{"ringback":"calls-day","format":2}');
    assert.deepEqual([JSON.parse(day1[1] ?? '') as unknown, JSON.parse(day1[2] ?? '') as unknown], [attempt('a1', at(D1)), missed('m1', at(D1))],
      'one compact JSON record a line');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { teams: { id: string }[] };
    assert.equal(config.teams[0]?.id, 'sales');

    // After the cut: an update, a delete and a new record live only in the journal.
    await store.commit([
      { t: 'missed', v: missed('m1', at(D1), { status: 'returned' }) },
      { t: 'del-missed', id: 'm2' },
      { t: 'attempt', v: attempt('a2', at(D3)) },
    ]);
    assert.equal((await segments(dir)).length, 1);
    const image = await crashImage(dir);
    const again = await open({}, image);
    assert.equal(again.missedCall('m1')?.status, 'returned');
    assert.equal(again.missedCall('m2'), undefined);
    assert.equal(again.attempt('a2')?.id, 'a2');
    assert.deepEqual(await again.history.days(), [D1, D3]);
    assert.equal(again.stats.replayed, 3);
  });
});

test('changes committed while a snapshot is being written go to the next segment and survive', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([{ t: 'attempt', v: attempt('a1', at(D1)) }, { t: 'attempt', v: attempt('a2', at(D2)) }]);
    const flushing = store.flush(); // rotates and captures synchronously when it starts
    const during = store.commit([{ t: 'attempt', v: attempt('a3', at(D1)) }, { t: 'del-team', id: 'x' }]);
    await Promise.all([flushing, during]);
    const segs = await segments(dir);
    assert.equal(segs.length, 1, 'the pre-snapshot segment is gone, the new one holds the late commit');
    const late = await readFile(join(dir, 'journal', segs[0] ?? ''), 'utf8');
    assert.match(late, /"id":"a3"/);
    assert.doesNotMatch(late, /"id":"a1"/);
    const again = await open({}, await crashImage(dir));
    assert.deepEqual((await all(again.history.attemptsIn({}))).map((a) => a.id), ['a2', 'a3', 'a1']);
  });
});

test('meta values are kept, replaced and removed by committing undefined', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    await store.commit([{ t: 'meta', key: 'a', value: { n: 1 } }, { t: 'meta', key: 'b', value: 'x' }]);
    await store.flush();
    await store.commit([{ t: 'meta', key: 'a', value: { n: 2 } }, { t: 'meta', key: 'b', value: undefined }]);
    await store.close();
    const again = await open();
    assert.deepEqual(again.meta('a'), { n: 2 });
    assert.equal(again.meta('b'), undefined);
  });
});

test('a snapshot rewrites only the day files that changed', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([{ t: 'attempt', v: attempt('a1', at(D1)) }, { t: 'attempt', v: attempt('a2', at(D2)) }]);
    await store.flush();
    const ino = async (day: string): Promise<number> => (await stat(join(dir, 'calls', `${day}.json`))).ino;
    const configIno = (await stat(join(dir, 'config.json'))).ino;
    const [i1, i2] = [await ino(D1), await ino(D2)];
    const written = store.stats.filesWritten;

    await store.commit([{ t: 'attempt', v: attempt('a3', at(D2)) }]);
    await store.flush();
    assert.equal(store.stats.filesWritten - written, 1);
    assert.equal(await ino(D1), i1, 'untouched day is not rewritten');
    assert.notEqual(await ino(D2), i2, 'changed day is replaced (temp file + rename)');
    assert.equal((await stat(join(dir, 'config.json'))).ino, configIno, 'config unchanged');
  });
});

test('a background snapshot starts after snapshotEvery journal records', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open({ snapshotEvery: 10 });
    for (let i = 0; i < 25; i++) await store.commit([{ t: 'attempt', v: attempt(`a${i}`, at(D1)) }]);
    await store.idle();
    assert.ok(store.stats.snapshots >= 2, `snapshots: ${store.stats.snapshots}`);
    assert.ok((await segments(dir)).length <= 1, 'older segments deleted');
    const again = await open({}, await crashImage(dir));
    assert.equal((await all(again.history.attemptsIn({}))).length, 25);
  });
});

test('a torn last journal line is dropped and reported, and the lines before it are kept', async () => {
  await withDir(async ({ dir, open, logs }) => {
    const store = await open();
    for (const id of ['a1', 'a2', 'a3']) await store.commit([{ t: 'attempt', v: attempt(id, at(D1)) }]);
    for (const torn of ['{"t":"attempt","v":{"id":"a4","firstRi', '\u0000\u0000\u0000\n']) {
      const image = await crashImage(dir);
      const [seg = ''] = await segments(image);
      await appendFile(join(image, 'journal', seg), torn);
      logs.length = 0;
      const again = await open({}, image);
      assert.deepEqual((await all(again.history.attemptsIn({}))).map((a) => a.id).sort(), ['a1', 'a2', 'a3']);
      const report = logs.find((l) => l.msg.includes('torn'));
      assert.ok(report, 'torn line reported');
      assert.match(JSON.stringify(report.fields), new RegExp(seg));
    }
  });
});

test('a damaged journal line before the last one makes openStore reject with file and line', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    for (const id of ['a1', 'a2', 'a3']) await store.commit([{ t: 'attempt', v: attempt(id, at(D1)) }]);
    const image = await crashImage(dir);
    const [seg = ''] = await segments(image);
    const file = join(image, 'journal', seg);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = '{"t":"attempt","v":{"id":"a2"';
    await writeFile(file, lines.join('\n'));
    await assert.rejects(open({}, image), (err: Error) => err.message.includes(seg) && err.message.includes('line 2'));
  });
});

test('a temp file left by an interrupted write does not break open and is removed', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([{ t: 'team', v: team('sales') }, { t: 'attempt', v: attempt('a1', at(D1)) }]);
    await store.close();
    await writeFile(join(dir, 'config.json.tmp'), '{"teams":[{"id":"half');
    await writeFile(join(dir, 'calls', `${D1}.json.tmp`), '');
    const again = await open();
    assert.equal(again.team('sales')?.id, 'sales');
    assert.equal(again.attempt('a1')?.id, 'a1');
    assert.deepEqual(await readdir(dir).then((f) => f.filter((n) => n.endsWith('.tmp'))), []);
    assert.deepEqual(await readdir(join(dir, 'calls')), [`${D1}.json`]);
  });
});

test('a config.json that is not valid JSON makes openStore reject naming the file', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([{ t: 'team', v: team('sales') }]);
    await store.close();
    await writeFile(join(dir, 'config.json'), '{"teams":[{"id":"sa');
    await assert.rejects(open(), (err: Error) => err.message.includes(join(dir, 'config.json')) && /not valid JSON/.test(err.message));
    assert.equal(await readFile(join(dir, 'config.json'), 'utf8'), '{"teams":[{"id":"sa', 'left untouched');
  });
});

test('a day file that is damaged or of the wrong shape makes openStore reject naming the file', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([{ t: 'attempt', v: attempt('a1', at(D1)) }]);
    await store.close();
    const file = join(dir, 'calls', `${D1}.json`);
    for (const bad of ['', '{"attempts":[', '{"attempts":[]}', '[1,2]']) {
      await writeFile(file, bad);
      await assert.rejects(open(), (err: Error) => err.message.includes(file), `content ${JSON.stringify(bad)}`);
    }
  });
});

test('dropDaysBefore removes exactly the older days, everywhere, and they stay gone after reopen', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    for (const [i, day] of [D1, D2, D3].entries()) {
      await store.commit([
        { t: 'attempt', v: attempt(`a${i + 1}`, at(day), { pbxCallId: `pbx-${i + 1}`, caller: caller(`+49${i}`) }) },
        { t: 'missed', v: missed(`m${i + 1}`, at(day), { caller: caller(`+49${i}`) }) },
      ]);
    }
    await store.flush(); // D1 on disk as a day file...
    await store.commit([{ t: 'attempt', v: attempt('a1b', at(D1, '10:00')) }]); // ...and in the journal
    const d1File = join(dir, 'calls', `${D1}.json`);
    const savedD1 = d1File + '.saved-by-test';
    await copyFile(d1File, savedD1);

    assert.deepEqual(await store.dropDaysBefore(D2), [D1]);
    const check = async (s: DurableStore): Promise<void> => {
      assert.deepEqual(await s.history.days(), [D2, D3]);
      assert.equal(s.attempt('a1'), undefined);
      assert.equal(s.attempt('a1b'), undefined);
      assert.equal(s.attemptByPbxId('pbx-1'), undefined);
      assert.equal(s.attemptByPbxId('pbx-2')?.id, 'a2');
      assert.deepEqual(s.recentAttempts('sales', '+490', at(D1, '00:00')), []);
      assert.equal(s.missedCall('m1'), undefined);
      assert.equal(s.openMissedByCaller('sales', '+490'), undefined);
      assert.deepEqual(s.openMissed('sales').map((m) => m.id), ['m3', 'm2']);
      assert.deepEqual((await all(s.history.missedCalls({}))).map((m) => m.id), ['m3', 'm2']);
    };
    await check(store);
    await assert.rejects(stat(d1File), { code: 'ENOENT' });

    // A late record for a dropped day is ignored, now and on replay.
    await store.commit([{ t: 'attempt', v: attempt('late', at(D1, '11:00')) }]);
    assert.equal(store.attempt('late'), undefined);

    // Crash now: the journal still holds D1's records before the floor change; replay must not resurrect them.
    const image = await crashImage(dir);
    // And a crash between raising the floor and deleting the file: the day file is back.
    await copyFile(savedD1, join(image, 'calls', `${D1}.json`));
    const fromCrash = await open({}, image);
    await check(fromCrash);
    await assert.rejects(stat(join(image, 'calls', `${D1}.json`)), { code: 'ENOENT' });

    await store.close();
    await rm(savedD1);
    const again = await open();
    await check(again);
    assert.equal(again.meta<string>('store.retentionFloor'), D2);
    assert.deepEqual(await again.dropDaysBefore(D2), [], 'idempotent');
  });
});

test('open missed calls are indexed per team, newest lastAt first, and leave the index when closed', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([
      { t: 'missed', v: missed('m1', at(D1, '09:00'), { caller: caller('+491') }) },
      { t: 'missed', v: missed('m2', at(D1, '10:00'), { caller: caller('+492') }) },
      { t: 'missed', v: missed('m3', at(D2, '08:00'), { caller: caller('+493') }) },
      { t: 'missed', v: missed('s1', at(D2, '09:00'), { team: 'support', caller: caller('+491') }) },
      { t: 'missed', v: missed('x1', at(D2, '07:00'), { status: 'ignored', caller: caller('+494') }) },
    ]);
    assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m3', 'm2', 'm1']);
    assert.deepEqual(store.openMissed('support').map((m) => m.id), ['s1']);
    assert.equal(store.openMissedByCaller('sales', '+491')?.id, 'm1');
    assert.equal(store.openMissedByCaller('sales', '+494'), undefined, 'ignored is not open');

    // A repeat call moves m1 to the front; assigning keeps it open.
    await store.commit([{ t: 'missed', v: missed('m1', at(D1, '09:00'), {
      caller: caller('+491'), lastAt: at(D2, '12:00'), status: 'assigned', assignee: 'Anna' }) }]);
    assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m1', 'm3', 'm2']);
    assert.equal(store.openMissedByCaller('sales', '+491')?.assignee, 'Anna');

    // Returned: out of the open indexes, still in history.
    await store.commit([{ t: 'missed', v: missed('m3', at(D2, '08:00'), { caller: caller('+493'), status: 'returned' }) }]);
    assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m1', 'm2']);
    assert.equal(store.openMissedByCaller('sales', '+493'), undefined);
    assert.equal(store.missedCall('m3')?.status, 'returned');
    assert.deepEqual((await all(store.history.missedCalls({ status: 'returned' }))).map((m) => m.id), ['m3']);

    // Deleted: gone everywhere.
    await store.commit([{ t: 'del-missed', id: 'm2' }]);
    assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m1']);
    assert.equal(store.openMissedByCaller('sales', '+492'), undefined);
    assert.equal(store.missedCall('m2'), undefined);
    assert.deepEqual((await all(store.history.missedCalls({ team: 'sales' }))).map((m) => m.id), ['m3', 'x1', 'm1']);

    await store.close();
    const again = await open({}, dir);
    assert.deepEqual(again.openMissed('sales').map((m) => m.id), ['m1']);
    assert.deepEqual(again.openMissed('support').map((m) => m.id), ['s1']);
  });
});

test('the open index stays right when the caller mutated the committed object in place', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    const m = missed('m1', at(D1, '09:00'));
    await store.commit([{ t: 'missed', v: m }, { t: 'missed', v: missed('m2', at(D1, '10:00')) }]);
    m.lastAt = at(D1, '11:00');
    m.status = 'closed';
    await store.commit([{ t: 'missed', v: m }]);
    assert.deepEqual(store.openMissed('sales').map((x) => x.id), ['m2']);
  });
});

test('phoneByToken follows token changes and phone deletion', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    await store.commit([{ t: 'phone', v: phone('aa', 'old') }, { t: 'phone', v: phone('bb', 'other') }]);
    await store.commit([{ t: 'phone', v: phone('aa', 'new') }]);
    assert.equal(store.phoneByToken('old'), undefined);
    assert.equal(store.phoneByToken('new')?.mac, 'aa');
    await store.commit([{ t: 'del-phone', mac: 'aa' }]);
    assert.equal(store.phoneByToken('new'), undefined);
    assert.deepEqual(store.phones().map((p) => p.mac), ['bb']);
  });
});

test('recent attempts come from the (destination, caller) index, newest first, since the given time', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    await store.commit([
      { t: 'attempt', v: attempt('a1', at(D1, '09:00'), { caller: caller('+491'), pbxCallId: 'ast-1' }) },
      { t: 'attempt', v: attempt('a2', at(D1, '09:05'), { caller: caller('+491') }) },
      { t: 'attempt', v: attempt('a3', at(D1, '09:06'), { caller: caller('+492') }) },
      { t: 'attempt', v: attempt('a4', at(D1, '09:07'), { caller: caller('+491'), destination: 'support' }) },
    ]);
    assert.deepEqual(store.recentAttempts('sales', '+491', at(D1, '08:00')).map((a) => a.id), ['a2', 'a1']);
    assert.deepEqual(store.recentAttempts('sales', '+491', at(D1, '09:01')).map((a) => a.id), ['a2']);
    assert.equal(store.attemptByPbxId('ast-1')?.id, 'a1');
    // The caller key of an attempt is corrected: it moves between buckets.
    await store.commit([{ t: 'attempt', v: attempt('a2', at(D1, '09:05'), { caller: caller('+492') }) }]);
    assert.deepEqual(store.recentAttempts('sales', '+492', at(D1, '08:00')).map((a) => a.id), ['a3', 'a2']);
  });
});

test('history queries go newest first across days and honour from/to, team, status and caller', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    await store.commit([
      { t: 'missed', v: missed('m1', at(D1, '09:00'), { caller: caller('+4930111') }) },
      { t: 'missed', v: missed('m2', at(D2, '09:00'), { team: 'support' }) },
      { t: 'missed', v: missed('m3', at(D2, '10:00')) },
      { t: 'missed', v: missed('m4', at(D3, '09:00'), { status: 'closed' }) },
      { t: 'attempt', v: attempt('a1', at(D1)) },
      { t: 'attempt', v: attempt('a2', at(D3), { destination: 'support' }) },
    ]);
    const ids = async (q: MissedQuery): Promise<string[]> => (await all(store.history.missedCalls(q))).map((m) => m.id);
    assert.deepEqual(await ids({}), ['m4', 'm3', 'm2', 'm1']);
    assert.deepEqual(await ids({ from: D2, to: D3 }), ['m3', 'm2']);
    assert.deepEqual(await ids({ from: at(D2, '09:30'), to: at(D3, '09:00') }), ['m3']);
    assert.deepEqual(await ids({ team: 'sales', status: 'pending' }), ['m3', 'm1']);
    assert.deepEqual(await ids({ caller: '+4930111' }), ['m1']);
    assert.deepEqual(await ids({ caller: '30 1234' }), ['m4', 'm3', 'm2'], 'raw substring');
    assert.deepEqual((await all(store.history.attemptsIn({}))).map((a) => a.id), ['a2', 'a1']);
    assert.deepEqual((await all(store.history.attemptsIn({ destination: 'support' }))).map((a) => a.id), ['a2']);
    assert.deepEqual((await all(store.history.attemptsIn({ to: D3 }))).map((a) => a.id), ['a1']);
  });
});

test('a record whose filing day changes moves to the new day file', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open();
    await store.commit([{ t: 'missed', v: missed('m1', at(D2)) }]);
    await store.flush();
    await store.commit([{ t: 'missed', v: missed('m1', at(D1)) }]);
    assert.deepEqual(await store.history.days(), [D1]);
    await store.close();
    assert.deepEqual(await readdir(join(dir, 'calls')), [`${D1}.json`], 'emptied day file deleted');
    const again = await open();
    assert.equal(again.missedCall('m1')?.firstAt, at(D1));
  });
});

test('an invalid change rejects the whole commit and applies none of it', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    const bad = { t: 'attempt', v: { ...attempt('b', at(D1)), firstRingAt: 'yesterday' } } as const;
    await assert.rejects(store.commit([{ t: 'attempt', v: attempt('ok', at(D1)) }, bad]), /change #1/);
    assert.equal(store.attempt('ok'), undefined);
  });
});

test('commits after close reject, and close waits for what was committed', async () => {
  await withDir(async ({ open }) => {
    const store = await open();
    const pending = store.commit([{ t: 'attempt', v: attempt('a1', at(D1)) }]);
    const closed = store.close();
    await assert.rejects(store.commit([{ t: 'attempt', v: attempt('a2', at(D1)) }]), /after close/);
    await pending;
    await closed;
    const again = await open();
    assert.equal(again.attempt('a1')?.id, 'a1');
    assert.equal(again.stats.replayed, 0, 'close snapshotted everything');
  });
});

test('the commit that triggers a background snapshot does not serialise day files itself', async () => {
  await withDir(async ({ dir, open }) => {
    const store = await open({ snapshotEvery: 3 });
    await store.commit([{ t: 'attempt', v: attempt('a1', at(D1)) }, { t: 'attempt', v: attempt('a2', at(D1)) }]);
    const big = attempt('a3', at(D1));
    let stringified = 0;
    // Counts serialisations of this record: the journal line (in commit) and the day file (snapshot).
    Object.defineProperty(big, 'toJSON', { enumerable: false, value: () => { stringified += 1; return { ...big }; } });
    const done = store.commit([{ t: 'attempt', v: big }]);
    assert.equal(stringified, 1, 'only the journal line is built inside commit()');
    await done;
    await store.idle();
    assert.equal(stringified, 2, 'the snapshot wrote the day file afterwards');
    assert.equal(store.stats.snapshots, 1);
    assert.deepEqual(await readdir(join(dir, 'calls')), [`${D1}.json`]);
  });
});
