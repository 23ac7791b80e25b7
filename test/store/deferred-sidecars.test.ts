import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { type EmbeddedStore, openStore, type OpenStoreOptions } from '../../src/store/embedded/open-store.ts';
import { dayStamp, readSidecar } from '../../src/store/embedded/sidecars.ts';
import type { Change } from '../../src/store/types.ts';
import { all } from '../support/collect.ts';
import { attempt, crashImage, missed, team, tempDir, countDerivation } from './fixtures.ts';

const D1 = '2026-05-01';
const D2 = '2026-05-02';
const D3 = '2026-05-03';

/** How many records a day holds, computed by the store next to each day file. */
const count = countDerivation();

function calls(day: string, n: number, from = 0): Change[] {
  const out: Change[] = [];
  for (let k = from; k < from + n; k++) {
    const at = `${day}T09:00:${String(k).padStart(2, '0')}.000Z`;
    out.push({ t: 'attempt', v: attempt(`a-${day}-${k}`, at) }, { t: 'missed', v: missed(`m-${day}-${k}`, at, { status: 'returned' }) });
  }
  return out;
}

/** Whether the day's index and derived value on disk were computed from its file as it is now. */
async function sidecarsCurrent(dir: string, day: string): Promise<{ index: boolean; count: boolean }> {
  const stamp = await dayStamp(dir, day);
  const index = await readSidecar(dir, day, 'index');
  const derived = await readSidecar(dir, day, 'count');
  return { index: stamp !== null && index?.stamp === stamp, count: stamp !== null && derived?.stamp === stamp };
}

async function withStore(fn: (ctx: { dir: string; open: (o?: Partial<OpenStoreOptions>, d?: string) => Promise<EmbeddedStore> }) => Promise<void>): Promise<void> {
  const { dir, done } = await tempDir();
  const opened: EmbeddedStore[] = [];
  const images: string[] = [];
  const open = async (o: Partial<OpenStoreOptions> = {}, d = dir): Promise<EmbeddedStore> => {
    if (d !== dir) images.push(d);
    const s = await openStore({ dir: d, derivations: [count], ...o });
    opened.push(s);
    return s;
  };
  try {
    await fn({ dir, open });
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    for (const d of images) await rm(d, { recursive: true, force: true });
    await done();
  }
}

test('while events stream into the newest day, a background snapshot writes its file alone; its index and derived value follow once a newer day began', async () => {
  await withStore(async ({ dir, open }) => {
    const store = await open({ snapshotEvery: 10 });
    await store.commit([{ t: 'team', v: team('sales') }]);
    await store.commit(calls(D1, 6));
    await store.idle();
    assert.ok((await readdir(join(dir, 'calls'))).includes(`${D1}.json`), 'the day file is written');
    assert.deepEqual(await sidecarsCurrent(dir, D1), { index: false, count: false }, 'the newest day\'s sidecars wait');

    await store.commit(calls(D2, 6));
    await store.idle();
    assert.deepEqual(await sidecarsCurrent(dir, D1), { index: true, count: true }, 'no longer the newest: written by the next snapshot');
    assert.deepEqual(await sidecarsCurrent(dir, D2), { index: false, count: false });

    await store.close();
    assert.deepEqual(await sidecarsCurrent(dir, D2), { index: true, count: true }, 'a close writes everything owed');
  });
});

test('a day whose sidecars are owed stays in memory after it left the hot window, until the snapshot that writes them', async () => {
  await withStore(async ({ dir, open }) => {
    const store = await open({ snapshotEvery: 10, hotDays: 1 });
    await store.commit([{ t: 'team', v: team('sales') }]);
    await store.commit(calls(D1, 6));
    await store.idle();
    await store.commit(calls(D2, 1)); // D1 leaves the hot window; below the snapshot threshold
    assert.equal(store.stats.hotRecords, 2 * 6 + 2, 'D1 is kept whole: its file has no index yet');
    await store.flush();
    assert.deepEqual(await sidecarsCurrent(dir, D1), { index: true, count: true });
    assert.equal(store.stats.hotRecords, 2, 'written, then evicted: only D2 stays');
  });
});

test('a crash while the newest day\'s sidecars are owed loses nothing: the restart answers the same history and derived values', async () => {
  await withStore(async ({ dir, open }) => {
    const store = await open({ snapshotEvery: 10 });
    await store.commit([{ t: 'team', v: team('sales') }]);
    await store.commit(calls(D1, 6));
    await store.idle();
    await store.commit(calls(D1, 2, 6));
    const image = await crashImage(dir);
    assert.deepEqual(await sidecarsCurrent(image, D1), { index: false, count: false });

    // D1 goes cold in the restarted store (hot days: 1) once newer days hold data.
    const again = await open({ hotDays: 1 }, image);
    await again.commit(calls(D2, 1));
    await again.commit(calls(D3, 1));
    await again.flush();
    const [value] = await all(again.history.derived<{ attempts: number; missed: number }>('count', [D1]));
    assert.deepEqual(value?.value, { attempts: 8, missed: 8 });
    assert.equal((await again.history.missedCall(`m-${D1}-7`))?.id, `m-${D1}-7`, 'a cold day\'s entry is found by id');
    assert.equal((await all(again.history.attemptsIn({ from: `${D1}T00:00:00.000Z`, to: `${D2}T00:00:00.000Z` }))).length, 8);
  });
});
