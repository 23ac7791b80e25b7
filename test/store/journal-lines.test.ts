import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { crashImage, missed, tempDir } from './fixtures.ts';

const D1 = '2026-06-01';
const D2 = '2026-06-02';

async function journalLines(dir: string): Promise<string[]> {
  const names = (await readdir(join(dir, 'journal'))).sort();
  const text = (await Promise.all(names.map((n) => readFile(join(dir, 'journal', n), 'utf8')))).join('');
  return text.split('\n').filter((l) => l !== '');
}

test('an update of an entry memory holds is journaled as the fields it changed, and replays over the day file after a crash', async () => {
  const { dir, done } = await tempDir();
  const store = await openStore({ dir });
  try {
    const m1 = missed('m1', `${D1}T09:00:00.000Z`);
    await store.commit([{ t: 'missed', v: m1 }, { t: 'missed', v: missed('m2', `${D2}T09:00:00.000Z`) }]);
    await store.flush();
    await store.commit([{ t: 'missed', v: { ...m1, status: 'assigned', assignee: 'Anna', assignedAt: `${D2}T10:00:00.000Z` } }]);
    await store.commit([{ t: 'missed', v: { ...m1, status: 'returned', assignee: 'Anna', assignedAt: `${D2}T10:00:00.000Z`, scheduled: null } }]);
    const lines = await journalLines(dir);
    assert.equal(lines.length, 2);
    const [assigned, returned] = lines.map((l) => JSON.parse(l) as { t: string; id: string; d: string; s: Record<string, unknown> });
    assert.deepEqual(assigned, { t: '~missed', id: 'm1', d: D1, s: { status: 'assigned', assignee: 'Anna', assignedAt: `${D2}T10:00:00.000Z` } });
    assert.deepEqual(returned?.s, { status: 'returned', scheduled: null });
    assert.ok((lines[0]?.length ?? 0) * 3 < JSON.stringify({ t: 'missed', v: m1 }).length, 'a fraction of the whole record');

    // Restarted with one hot day: m1's day is cold, so replay finds the version to patch in its file.
    const again = await openStore({ dir: await crashImage(dir), hotDays: 1 });
    try {
      const m = await again.history.missedCall('m1');
      assert.equal(m?.status, 'returned');
      assert.equal(m?.assignee, 'Anna');
      assert.equal(m?.callerName, m1.callerName);
      assert.equal(again.openMissed('sales').some((x) => x.id === 'm1'), false);
    } finally {
      await again.close();
    }
  } finally {
    await store.close();
    await done();
  }
});

test('a journal of whole-record lines, as earlier versions wrote it, replays as before', async () => {
  const { dir, done } = await tempDir();
  try {
    const first = await openStore({ dir });
    await first.close();
    const m1 = missed('m1', `${D1}T09:00:00.000Z`);
    const old = [{ t: 'missed', v: m1 }, { t: 'missed', v: { ...m1, status: 'closed' } }, { t: 'missed', v: missed('m2', `${D1}T10:00:00.000Z`) }];
    await writeFile(join(dir, 'journal', '000000000007.ndjson'), old.map((c) => JSON.stringify(c) + '\n').join(''));
    const store = await openStore({ dir });
    try {
      assert.equal((await store.history.missedCall('m1'))?.status, 'closed');
      assert.deepEqual(store.openMissed('sales').map((m) => m.id), ['m2']);
      assert.equal(store.stats.replayed, 3);
    } finally {
      await store.close();
    }
  } finally {
    await done();
  }
});
