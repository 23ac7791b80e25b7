/** @module Start-up: config.json, the hot days whole, and the other days' open entries from their indexes. */
import { Low } from 'lowdb';
import { buildIndex, INDEX_SIDECAR, INDEX_VERSION, isStoredIndex } from './day-index.ts';
import { type ConfigData, configFile, listDayFiles } from './files.ts';
import { readDayFile } from './day-file-io.ts';
import { dayStamp, readSidecar, writeSidecar } from './sidecars.ts';
import { isOpen } from '../memory-index.ts';
import { internStrings } from './intern.ts';
import type { StoreState } from './state.ts';

export interface Loaded {
  /** Day files below the retention floor (leftovers of a drop that crashed before deleting them). */
  stale: string[];
  /** Cold day files read because their index was missing or stale (an older data dir, or a snapshot cut short). */
  scanned: string[];
}

/**
 * Reads what the hot set needs and nothing else: config first (it carries the retention floor),
 * the newest `hotDays` day files whole, and the open entries of the other days from their indexes
 * (`index/<day>.json`). Cold day files are only listed, never parsed, unless their index is not current.
 */
export async function loadSnapshot(dir: string, state: StoreState): Promise<Loaded> {
  const empty: ConfigData = { teams: [], phones: [], meta: {} };
  const config = new Low<ConfigData>(configFile(dir), empty);
  await config.read();
  state.loadConfig(config.data.teams, config.data.phones, config.data.meta, config.data.collections);
  const configMissing = config.data === empty;

  const stale: string[] = [];
  const days: string[] = [];
  for (const day of await listDayFiles(dir)) {
    if (day < state.floor) stale.push(day);
    else {
      days.push(day);
      state.markOnDisk(day, true);
    }
  }
  const hot = new Set(days.slice(-state.hotDays));
  const misfiled = new Set<string>();
  for (const day of hot) {
    state.partitions.loadWhole(day);
    const read = await readDayFile(dir, day);
    const data = read?.data ?? { attempts: [], missed: [] };
    if (read?.format === 1) state.legacyDays.add(day);
    internStrings(data.attempts);
    internStrings(data.missed);
    for (const a of data.attempts) {
      const put = state.putAttempt(a);
      // A record in the wrong file or in two files (a crash between two day writes): the journal
      // still holds its latest value; rewrite both days at the next snapshot.
      if (put !== undefined || state.partitions.get(day)?.attempts.get(a.id) !== a) {
        misfiled.add(day);
        if (typeof put === 'string') misfiled.add(put);
      }
    }
    for (const m of data.missed) {
      const put = state.putMissed(m);
      if (put !== undefined || state.partitions.get(day)?.missed.get(m.id) !== m) {
        misfiled.add(day);
        if (typeof put === 'string') misfiled.add(put);
      }
    }
  }

  const scanned: string[] = [];
  for (const day of days) {
    if (hot.has(day)) continue;
    const stamp = await dayStamp(dir, day);
    const index = await readSidecar<unknown>(dir, day, INDEX_SIDECAR);
    if (index !== null && index.version === INDEX_VERSION && index.stamp === stamp && isStoredIndex(index.value)) {
      for (const m of index.value.open) if (isOpen(m.status)) state.putMissed(m);
      continue;
    }
    // No current index (an older data dir, or a crash between the two writes): the day file is
    // read, one at a time, and only its open entries stay in memory; its index is written now.
    const read = await readDayFile(dir, day);
    const data = read?.data ?? { attempts: [], missed: [] };
    if (read?.format === 1) state.legacyDays.add(day);
    for (const m of data.missed) if (isOpen(m.status)) state.putMissed(m);
    if (stamp !== null) await writeSidecar(dir, day, INDEX_SIDECAR, { stamp, version: INDEX_VERSION, value: buildIndex(data) });
    scanned.push(day);
  }

  state.partitions.takeDirty(); // what was just read is what is on disk
  for (const day of misfiled) state.partitions.markDirty(day);
  // A hot day read whole is its file: its first snapshot copies the lines of what did not change.
  for (const day of hot) {
    const p = state.partitions.get(day);
    if (p?.complete === true && state.onDisk.has(day) && !misfiled.has(day)) state.partitions.markWritten(p, state.fileGeneration.get(day) ?? 0);
  }
  // A new store writes config.json at its first snapshot, so the layout is complete from then on.
  state.configDirty = configMissing;
  return { stale, scanned };
}
