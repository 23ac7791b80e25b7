/** @module One day's acknowledged records, wherever they are: a hot day in memory, a cold file plus its overlay. */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { type ColdDays, type DayView, firstAfter, newestFirst, type OpenDay, viewDay } from './cold-days.ts';
import { compareKeys, type Key, type Kind, keyOf, type RecordOf } from './day-file.ts';
import type { Partition } from './partitions.ts';
import type { StoreState } from './state.ts';

const EMPTY: DayView = { attempts: [], missed: [] };

/**
 * The day's records, newest first. A cold day's file is read (through the cache), then merged with
 * what memory holds for that day, synchronously: if a snapshot replaced the file while it was being
 * read (its generation moved), it is read again, so an overlay is never merged into the wrong file.
 */
export async function dayView(state: StoreState, cold: ColdDays, day: string): Promise<DayView> {
  for (let attempt = 0; ; attempt++) {
    const p = state.partitions.get(day);
    if (p?.complete === true) return completeView(p);
    const generation = state.fileGeneration.get(day) ?? 0;
    const file = state.onDisk.has(day) ? await cold.read(day, generation) : EMPTY;
    if ((state.fileGeneration.get(day) ?? 0) !== generation && attempt < 3) continue;
    const now = state.partitions.get(day);
    if (now?.complete === true) return completeView(now);
    return merge(file, now, state.partitions.goneMissedAnywhere);
  }
}

/**
 * One kind of the day's records in history order, from the first one after `bound`: a cold day's
 * file is read a block at a time (history-order key ranges, see day-file.ts) and merged with what
 * memory holds for the day, captured when the file was opened. A snapshot that merges that overlay
 * into a newer file moves the day's generation before memory lets go of it, so file and overlay
 * always belong together: the file is opened again if the generation moved meanwhile.
 */
export async function* dayRecords<K extends Kind>(state: StoreState, cold: ColdDays, day: string, kind: K,
  bound?: Key): AsyncGenerator<RecordOf<K>> {
  const opened = await openWithOverlay(state, cold, day, kind);
  if (opened === null) {
    const records = completeView(state.partitions.get(day) as Partition)[kind] as readonly RecordOf<K>[];
    for (let i = firstAfter(kind, records, bound); i < records.length; i++) yield records[i] as RecordOf<K>;
    return;
  }
  const { file, over, gone } = opened;
  const cmp = (a: RecordOf<K>, b: RecordOf<K>) => compareKeys(keyOf(kind, a), keyOf(kind, b));
  const extra = [...over.values()].filter((r) => bound === undefined || compareKeys(keyOf(kind, r), bound) > 0).sort(cmp);
  try {
    let j = 0;
    for await (const r of file.scan(kind, bound)) {
      if (over.has(r.id) || gone.has(r.id)) continue;
      while (j < extra.length && cmp(extra[j] as RecordOf<K>, r) < 0) yield extra[j++] as RecordOf<K>;
      yield r;
    }
    while (j < extra.length) yield extra[j++] as RecordOf<K>;
  } finally {
    await file.close();
  }
}

/** Those of `ids` the day holds (memory's version where it has one): a cold file is read record by record. */
export async function dayRecordsById<K extends Kind>(state: StoreState, cold: ColdDays, day: string, kind: K,
  ids: readonly string[]): Promise<Map<string, RecordOf<K>>> {
  const opened = await openWithOverlay(state, cold, day, kind);
  const out = new Map<string, RecordOf<K>>();
  if (opened === null) {
    const p = state.partitions.get(day) as Partition;
    const records = (kind === 'attempts' ? p.attempts : p.missed) as unknown as ReadonlyMap<string, RecordOf<K>>;
    for (const id of ids) {
      const r = records.get(id);
      if (r !== undefined) out.set(id, r);
    }
    return out;
  }
  const { file, over, gone } = opened;
  try {
    const rest: string[] = [];
    for (const id of ids) {
      const r = over.get(id);
      if (r !== undefined) out.set(id, r);
      else if (!gone.has(id)) rest.push(id);
    }
    if (rest.length > 0) for (const [id, r] of await file.byIds(kind, rest)) out.set(id, r);
    return out;
  } finally {
    await file.close();
  }
}

interface WithOverlay<K extends Kind> {
  file: OpenDay;
  over: ReadonlyMap<string, RecordOf<K>>;
  gone: ReadonlySet<string>;
}

/** Null when memory holds the day whole. */
async function openWithOverlay<K extends Kind>(state: StoreState, cold: ColdDays, day: string, kind: K): Promise<WithOverlay<K> | null> {
  for (let attempt = 0; ; attempt++) {
    if (state.partitions.get(day)?.complete === true) return null;
    const generation = state.fileGeneration.get(day) ?? 0;
    const file = state.onDisk.has(day) ? await cold.open(day, generation) : viewDay(EMPTY);
    if ((state.fileGeneration.get(day) ?? 0) !== generation && attempt < 3) {
      await file.close();
      continue;
    }
    const p = state.partitions.get(day);
    if (p?.complete === true) {
      await file.close();
      return null;
    }
    const over = new Map((kind === 'attempts' ? p?.attempts : p?.missed) as ReadonlyMap<string, RecordOf<K>> | undefined ?? []);
    const gone = new Set(kind === 'attempts' ? p?.goneAttempts : p?.goneMissed);
    if (kind === 'missed') for (const id of state.partitions.goneMissedAnywhere) gone.add(id);
    return { file, over, gone };
  }
}

/** Whether a cold day's content is exactly its file's (so a sidecar computed from the file holds). */
export function fileIsCurrent(state: StoreState, day: string): boolean {
  const p = state.partitions.get(day);
  if (p?.complete === true) return false;
  return !state.partitions.isDirty(day) && !state.writing.has(day) && state.partitions.goneMissedAnywhere.size === 0;
}

export function completeView(p: Partition): DayView {
  const byAttempt = (a: CallAttempt, b: CallAttempt) => newestFirst(a.firstRingAt, a.id, b.firstRingAt, b.id);
  const byMissed = (a: MissedCall, b: MissedCall) => newestFirst(a.firstAt, a.id, b.firstAt, b.id);
  p.sortedAttempts = sortedNow(p.sortedAttempts, p.attempts, p.changedAttempts, byAttempt);
  p.sortedMissed = sortedNow(p.sortedMissed, p.missed, p.changedMissed, byMissed);
  return { attempts: p.sortedAttempts, missed: p.sortedMissed };
}

/**
 * The records sorted: the previous sorted array patched with what changed since (a copy: readers
 * may still iterate the old one), or sorted afresh. Today changes at every event, and sorting a
 * busy day again for each page of the open list would cost tens of ms each time.
 */
function sortedNow<T extends CallAttempt | MissedCall>(old: T[] | null, records: ReadonlyMap<string, T>, changed: Set<string>,
  cmp: (a: T, b: T) => number): T[] {
  if (old !== null && changed.size === 0) return old;
  if (old === null || changed.size > old.length / 8) {
    changed.clear();
    return [...records.values()].sort(cmp);
  }
  const extra: T[] = [];
  for (const id of changed) {
    const r = records.get(id);
    if (r !== undefined) extra.push(r);
  }
  extra.sort(cmp);
  const out: T[] = [];
  let j = 0;
  for (const r of old) {
    if (changed.has(r.id)) continue;
    while (j < extra.length && cmp(extra[j] as T, r) < 0) out.push(extra[j++] as T);
    out.push(r);
  }
  while (j < extra.length) out.push(extra[j++] as T);
  changed.clear();
  return out;
}

function merge(file: DayView, p: Partition | undefined, goneAnywhere: ReadonlySet<string>): DayView {
  if ((p === undefined || (p.attempts.size === 0 && p.goneAttempts.size === 0)) && goneAnywhere.size === 0 &&
    (p === undefined || (p.missed.size === 0 && p.goneMissed.size === 0))) return file;
  const attempts = p === undefined ? file.attempts : mergeSorted(file.attempts, p.attempts, p.goneAttempts, EMPTY_SET,
    (a, b) => newestFirst(a.firstRingAt, a.id, b.firstRingAt, b.id));
  const missed = mergeSorted(file.missed, p?.missed ?? new Map(), p?.goneMissed ?? EMPTY_SET, goneAnywhere,
    (a, b) => newestFirst(a.firstAt, a.id, b.firstAt, b.id));
  return { attempts, missed };
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/** The file's sorted records minus those overridden or gone, merged with the (few) overriding ones. */
function mergeSorted<T extends CallAttempt | MissedCall>(file: readonly T[], over: ReadonlyMap<string, T>,
  gone: ReadonlySet<string>, goneAnywhere: ReadonlySet<string>, cmp: (a: T, b: T) => number): T[] {
  if (over.size === 0 && gone.size === 0 && goneAnywhere.size === 0) return file as T[];
  const extra = [...over.values()].sort(cmp);
  const out: T[] = [];
  let j = 0;
  for (const r of file) {
    if (over.has(r.id) || gone.has(r.id) || goneAnywhere.has(r.id)) continue;
    while (j < extra.length && cmp(extra[j] as T, r) < 0) out.push(extra[j++] as T);
    out.push(r);
  }
  while (j < extra.length) out.push(extra[j++] as T);
  return out;
}
