import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CallAttempt } from '../../src/domain/types.ts';
import { encodeDay } from '../../src/store/embedded/day-file.ts';
import { readDayFile } from '../../src/store/embedded/day-file-io.ts';
import { type EmbeddedStore, openStore } from '../../src/store/embedded/open-store.ts';
import { attempt, missed, team, tempDir } from './fixtures.ts';

const D1 = '2026-06-01';
const at = (k: number): string => `${D1}T08:00:${String(k).padStart(2, '0')}.000Z`;

/** A record that counts how often it is stringified (the journal line, then each day file write). */
function counted(id: string): { record: CallAttempt; times: () => number } {
  const record = attempt(id, at(0), { callerName: 'Zoë Ünal' });
  let n = 0;
  Object.defineProperty(record, 'toJSON', { enumerable: false, value: () => { n += 1; return { ...record }; } });
  return { record, times: () => n };
}

/** The day file's bytes equal a fresh full encoding of what it holds, and what it holds is `ids`. */
async function fileIsWhole(dir: string, ids: { attempts: string[]; missed: string[] }): Promise<void> {
  const read = await readDayFile(dir, D1);
  assert.ok(read !== null);
  assert.deepEqual({ attempts: read.data.attempts.map((a) => a.id).sort(), missed: read.data.missed.map((m) => m.id).sort() }, ids);
  const bytes = await readFile(join(dir, 'calls', `${D1}.json`));
  assert.ok(bytes.equals(await encodeDay(read.data)), 'byte for byte what stringifying every record gives');
}

async function withStore(fn: (dir: string, open: () => Promise<EmbeddedStore>) => Promise<void>): Promise<void> {
  const { dir, done } = await tempDir();
  const opened: EmbeddedStore[] = [];
  try {
    await fn(dir, async () => {
      const s = await openStore({ dir });
      opened.push(s);
      return s;
    });
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    await done();
  }
}

test('a snapshot of a day that changed copies its unchanged records\' lines from the previous file instead of stringifying them again', async () => {
  await withStore(async (dir, open) => {
    const store = await open();
    await store.commit([{ t: 'team', v: team('sales') }]);
    const big = counted('a-big');
    await store.commit([{ t: 'attempt', v: big.record }, { t: 'attempt', v: attempt('a2', at(2)) }, { t: 'missed', v: missed('m1', at(1)) }]);
    await store.flush();
    assert.equal(big.times(), 2, 'the journal line and the first day file');

    await store.commit([{ t: 'attempt', v: attempt('a3', at(3)) }, { t: 'missed', v: missed('m2', at(4)) }]);
    await store.flush();
    assert.equal(big.times(), 2, 'the second day file copied its line');
    await fileIsWhole(dir, { attempts: ['a-big', 'a2', 'a3'], missed: ['m1', 'm2'] });
  });
});

test('records changed or removed since the previous file are written as they are now, around the copied ones', async () => {
  await withStore(async (dir, open) => {
    const store = await open();
    await store.commit([{ t: 'team', v: team('sales') }]);
    const first: CallAttempt[] = [0, 1, 2, 3, 4].map((k) => attempt(`a${k}`, at(k)));
    await store.commit([...first.map((v) => ({ t: 'attempt' as const, v })), { t: 'missed', v: missed('m1', at(1)) }, { t: 'missed', v: missed('m2', at(2)) }]);
    await store.flush();

    await store.commit([
      { t: 'attempt', v: { ...first[2] as CallAttempt, callerName: 'Changed', outcome: 'answered' } },
      { t: 'del-missed', id: 'm1' },
      { t: 'attempt', v: attempt('a5', at(5)) },
    ]);
    await store.flush();
    await fileIsWhole(dir, { attempts: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'], missed: ['m2'] });
    assert.equal((await readDayFile(dir, D1))?.data.attempts.find((a) => a.id === 'a2')?.callerName, 'Changed');

    // After a restart the day is read whole from its file, and its next write copies from it too.
    await store.close();
    const again = await open();
    await again.commit([{ t: 'attempt', v: { ...first[0] as CallAttempt, callerName: 'Again' } }, { t: 'missed', v: missed('m3', at(6)) }]);
    await again.flush();
    await fileIsWhole(dir, { attempts: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'], missed: ['m2', 'm3'] });
    assert.equal(again.latest().attempt('a0')?.callerName, 'Again');
    assert.equal((await readDayFile(dir, D1))?.data.attempts.find((a) => a.id === 'a0')?.callerName, 'Again');
  });
});
