/** @module openStore: load the snapshot, replay the journal, hand back the durable Store. */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir, removeFilesDurably, removeTempFiles } from './durable-file.ts';
import { Journal } from './journal.ts';
import type { Log } from './journal-replay.ts';
import { listSegments, readSegment, segmentPath } from './journal-replay.ts';
import type { DurableStore } from './journaled-store.ts';
import { JournaledStore } from './journaled-store.ts';
import { CALLS_DIR, dayFileName, loadSnapshot, removeDaysBelowFloor } from './snapshot.ts';
import { StoreState } from './state.ts';
import type { DayDerivation } from './types.ts';

export type { DurableStore, StoreStats } from './journaled-store.ts';

/**
 * Journal records between background snapshots. A snapshot stringifies the day files that changed,
 * which blocks the event loop for tens of ms on a busy day: rare is better, and replaying 50k
 * journal lines at start takes about a second.
 */
export const DEFAULT_SNAPSHOT_EVERY = 50_000;

export interface OpenStoreOptions {
  /** Data directory; created if missing. */
  dir: string;
  /** Journal records after which a background snapshot runs (default 5000). */
  snapshotEvery?: number;
  log?: (msg: string, fields?: object) => void;
  /** Per-day derived values served by `store.history.derived` (report aggregates): compose.ts passes them in. */
  derivations?: readonly DayDerivation[];
}

const JOURNAL_DIR = 'journal';
const noop = (): void => undefined;

/**
 * Opens (or creates) the store in `dir`: loads config.json and every day file, replays the journal
 * segments in order, then appends to a fresh segment (never after a possibly torn tail). Rejects,
 * naming the file, when a snapshot file or an inner journal line is damaged: starting without that
 * data would silently lose acknowledged changes.
 *
 * One process per directory: nothing here stops a second one, and two writers would corrupt it.
 */
export async function openStore(opts: OpenStoreOptions): Promise<DurableStore> {
  const log: Log = opts.log ?? noop;
  const dir = opts.dir;
  const journalDir = join(dir, JOURNAL_DIR);
  const created = await mkdir(dir, { recursive: true });
  await mkdir(join(dir, CALLS_DIR), { recursive: true });
  await mkdir(journalDir, { recursive: true });
  // New directory entries must survive a power cut like files do.
  if (created !== undefined) await fsyncDir(dirname(created));
  await fsyncDir(dir);

  for (const file of [...await removeTempFiles(dir), ...await removeTempFiles(join(dir, CALLS_DIR))]) {
    log('store: removed a temp file left by an interrupted write', { file });
  }

  const state = new StoreState();
  const onDisk = new Set<string>();
  const stale = await loadSnapshot(dir, state, onDisk);
  if (stale.length > 0) {
    log('store: deleting day files below the retention floor', { days: stale });
    await removeFilesDurably(join(dir, CALLS_DIR), stale.map(dayFileName));
  }

  const segments = await listSegments(journalDir);
  let replayed = 0;
  let ignored = 0;
  for (const seg of segments) {
    for (const change of await readSegment(segmentPath(journalDir, seg), log)) {
      if (state.apply(change)) replayed += 1;
      else ignored += 1;
    }
  }
  if (ignored > 0) log('store: replay ignored call data below the retention floor', { records: ignored });
  // Replay may have raised the floor past days whose files still exist.
  await removeDaysBelowFloor(dir, state, onDisk);

  const store = new JournaledStore({
    dir, log, state, onDisk,
    journal: new Journal(journalDir, (segments.at(-1)?.seq ?? 0) + 1, log),
    snapshotEvery: Math.max(1, opts.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY),
    backlog: replayed,
    hasOldSegments: segments.length > 0,
    derivations: opts.derivations ?? [],
  });
  log('store: open', {
    dir, attempts: state.partitions.attemptCount, missed: state.partitions.missedCount,
    segments: segments.length, replayed,
  });
  return store;
}
