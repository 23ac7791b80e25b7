/** @module openStore: load the hot set, replay the journal, hand back the embedded (lowdb) Store. */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { Change, DayDerivation } from '../types.ts';
import { ColdDays, DEFAULT_COLD_CACHE_RECORDS } from './cold-days.ts';
import { dayRecordsById } from './day-views.ts';
import { fsyncDir, removeTempFiles } from './durable-file.ts';
import { CALLS_DIR, DERIVED_DIR, INDEX_DIR } from './files.ts';
import { Journal } from './journal.ts';
import { applyPatch, isPatch, type Patch } from './journal-codec.ts';
import type { Log } from './journal-replay.ts';
import { listSegments, readSegment, segmentPath } from './journal-replay.ts';
import { type EmbeddedStore, JournaledStore } from './journaled-store.ts';
import { loadSnapshot } from './load.ts';
import { deleteDays, removeDaysBelowFloor } from './snapshot.ts';
import { DEFAULT_HOT_DAYS, StoreState } from './state.ts';

export type { DurableStore, StoreStats } from '../durable-store.ts';
export type { EmbeddedStats, EmbeddedStore } from './journaled-store.ts';

/**
 * Journal records between background snapshots. A snapshot stringifies the day files that changed,
 * which blocks the event loop for tens of ms on a busy day: rare is better, and replaying 50k
 * journal lines at start takes about a second.
 */
export const DEFAULT_SNAPSHOT_EVERY = 50_000;

export interface OpenStoreOptions {
  /** Data directory; created if missing. */
  dir: string;
  /** Journal records after which a background snapshot runs (default 50,000). */
  snapshotEvery?: number;
  /** How many of the newest days holding data are kept whole in memory (default 2). */
  hotDays?: number;
  /** Parsed records of cold days kept between history reads (default 5,000; a larger day is not kept). */
  coldCacheRecords?: number;
  /** Per-day values computed from each day's records, kept next to its file (reports). */
  derivations?: readonly DayDerivation[];
  log?: (msg: string, fields?: object) => void;
}

const JOURNAL_DIR = 'journal';
const NAME = /^[a-z][a-z0-9-]*$/;
const noop = (): void => undefined;

/**
 * Opens (or creates) the store in `dir`: loads config.json, the hot days and the other days' indexes, replays
 * the journal segments in order, then appends to a fresh segment (never after a possibly torn
 * tail). Rejects, naming the file, when a snapshot file or an inner journal line is damaged:
 * starting without that data would silently lose acknowledged changes.
 *
 * One process per directory: nothing here stops a second one (main.ts takes the dir lock).
 */
export async function openStore(opts: OpenStoreOptions): Promise<EmbeddedStore> {
  const log: Log = opts.log ?? noop;
  const dir = opts.dir;
  const derivations = opts.derivations ?? [];
  const names = new Set<string>();
  for (const d of derivations) {
    // The name is part of a file name (derived/<day>.<name>.json).
    if (!NAME.test(d.name) || d.name === 'index') throw new TypeError(`[ringback] [store] a day derivation name must match ${String(NAME)}: ${d.name}`);
    if (names.has(d.name)) throw new TypeError(`[ringback] [store] two day derivations named ${d.name}`);
    names.add(d.name);
  }
  const journalDir = join(dir, JOURNAL_DIR);
  const created = await mkdir(dir, { recursive: true });
  await mkdir(join(dir, CALLS_DIR), { recursive: true });
  await mkdir(join(dir, INDEX_DIR), { recursive: true });
  await mkdir(join(dir, DERIVED_DIR), { recursive: true });
  await mkdir(journalDir, { recursive: true });
  // New directory entries must survive a power cut like files do.
  if (created !== undefined) await fsyncDir(dirname(created));
  await fsyncDir(dir);

  for (const sub of [dir, join(dir, CALLS_DIR), join(dir, INDEX_DIR), join(dir, DERIVED_DIR)]) {
    for (const file of await removeTempFiles(sub)) log('store: removed a temp file left by an interrupted write', { file });
  }

  const state = new StoreState(opts.hotDays ?? DEFAULT_HOT_DAYS);
  const cold = new ColdDays(dir, opts.coldCacheRecords ?? DEFAULT_COLD_CACHE_RECORDS);
  cold.legacyRead = (day) => state.legacyDays.add(day);
  const { stale, scanned } = await loadSnapshot(dir, state);
  if (stale.length > 0) log('store: deleting day files below the retention floor', { days: stale });
  if (scanned.length > 0) log('store: read day files without a current index, for their open entries', { days: scanned.length });
  const deps = { dir, state, cold };
  await deleteDays(deps, stale);

  const segments = await listSegments(journalDir);
  let replayed = 0;
  let ignored = 0;
  for (const seg of segments) {
    for (const line of await readSegment(segmentPath(journalDir, seg), log)) {
      const change = isPatch(line) ? await resolvePatch(state, cold, line, log) : line;
      if (change === null) continue;
      if (state.apply(change)) replayed += 1;
      else ignored += 1;
    }
  }
  if (ignored > 0) log('store: replay ignored call data below the retention floor', { records: ignored });
  // Replay may have raised the floor past days whose files still exist.
  await removeDaysBelowFloor(deps);

  const store = new JournaledStore({
    dir, log, state, cold, derivations,
    journal: new Journal(journalDir, (segments.at(-1)?.seq ?? 0) + 1, log),
    snapshotEvery: Math.max(1, opts.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY),
    backlog: replayed, replayed,
    hasOldSegments: segments.length > 0,
  });
  log('store: open', {
    dir, hotRecords: state.partitions.recordCount, days: state.onDisk.size, segments: segments.length, replayed,
  });
  return store;
}

/**
 * The whole record a patch line stands for: its earlier version is in memory (replayed just before,
 * or part of the hot set), else in its day file. None anywhere: the record was deleted or moved by
 * a later change already in the snapshot, which the rest of the journal repeats; nothing to apply.
 */
async function resolvePatch(state: StoreState, cold: ColdDays, p: Patch, log: Log): Promise<Change | null> {
  const isAttempt = p.t === '~attempt';
  let base: CallAttempt | MissedCall | undefined = isAttempt ? state.partitions.attempt(p.id) : state.partitions.missed(p.id);
  if (base === undefined) {
    base = (await dayRecordsById(state, cold, p.d, isAttempt ? 'attempts' : 'missed', [p.id])).get(p.id);
  }
  if (base === undefined) {
    log('store: replay skipped a patch of a record no longer kept', { id: p.id, day: p.d });
    return null;
  }
  return isAttempt
    ? { t: 'attempt', v: applyPatch(base as CallAttempt, p) }
    : { t: 'missed', v: applyPatch(base as MissedCall, p) };
}
