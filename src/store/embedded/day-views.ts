/** @module One day's acknowledged records, wherever they are: a hot day in memory, a cold file plus its overlay. */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { type ColdDays, type DayView, newestFirst } from './cold-days.ts';
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

const attemptIndex = new WeakMap<DayView, Map<string, CallAttempt>>();
const missedIndex = new WeakMap<DayView, Map<string, MissedCall>>();

/** A view's attempt by id (an index built on first use, kept as long as the view). */
export function attemptIn(view: DayView, id: string): CallAttempt | undefined {
  let byId = attemptIndex.get(view);
  if (byId === undefined) attemptIndex.set(view, (byId = new Map(view.attempts.map((a) => [a.id, a]))));
  return byId.get(id);
}

export function missedIn(view: DayView, id: string): MissedCall | undefined {
  let byId = missedIndex.get(view);
  if (byId === undefined) missedIndex.set(view, (byId = new Map(view.missed.map((m) => [m.id, m]))));
  return byId.get(id);
}

/** Whether a cold day's content is exactly its file's (so a sidecar computed from the file holds). */
export function fileIsCurrent(state: StoreState, day: string): boolean {
  const p = state.partitions.get(day);
  if (p?.complete === true) return false;
  return !state.partitions.isDirty(day) && !state.writing.has(day) && state.partitions.goneMissedAnywhere.size === 0;
}

export function completeView(p: Partition): DayView {
  p.sortedAttempts ??= [...p.attempts.values()].sort((a, b) => newestFirst(a.firstRingAt, a.id, b.firstRingAt, b.id));
  p.sortedMissed ??= [...p.missed.values()].sort((a, b) => newestFirst(a.firstAt, a.id, b.firstAt, b.id));
  return { attempts: p.sortedAttempts, missed: p.sortedMissed };
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
