/** @module History queries: scan day partitions newest first, skipping days outside the range. */
import type { CallAttempt, MissedCall } from '../domain/types.ts';
import type { AttemptQuery, Cursor, MissedQuery } from './types.ts';
import type { Partition, Partitions } from './partitions.ts';

/** Missed calls matching `q`, newest `firstAt` first. Lazy: stop iterating to stop scanning. */
export function* queryMissed(partitions: Partitions, q: MissedQuery): Generator<MissedCall> {
  for (const p of daysInRange(partitions, q.from, q.to, q.after)) {
    p.sortedMissed ??= [...p.missed.values()].sort((a, b) => newestFirst(a.firstAt, a.id, b.firstAt, b.id));
    for (const m of p.sortedMissed) {
      if (q.to !== undefined && m.firstAt >= q.to) continue;
      if (q.after !== undefined && !isAfter(m.firstAt, m.id, q.after)) continue;
      if (q.from !== undefined && m.firstAt < q.from) break; // sorted: the rest of the day is older
      if (q.team !== undefined && m.team !== q.team) continue;
      if (q.status !== undefined && m.status !== q.status) continue;
      if (q.caller !== undefined && m.caller.key !== q.caller && !m.caller.raw.includes(q.caller)) continue;
      yield m;
    }
  }
}

/** Call attempts matching `q`, newest `firstRingAt` first. */
export function* queryAttempts(partitions: Partitions, q: AttemptQuery): Generator<CallAttempt> {
  for (const p of daysInRange(partitions, q.from, q.to, q.after)) {
    p.sortedAttempts ??= [...p.attempts.values()]
      .sort((a, b) => newestFirst(a.firstRingAt, a.id, b.firstRingAt, b.id));
    for (const a of p.sortedAttempts) {
      if (q.to !== undefined && a.firstRingAt >= q.to) continue;
      if (q.after !== undefined && !isAfter(a.firstRingAt, a.id, q.after)) continue;
      if (q.from !== undefined && a.firstRingAt < q.from) break;
      if (q.destination !== undefined && a.destination !== q.destination) continue;
      yield a;
    }
  }
}

/** Whether a record sorts strictly after the cursor in newest-first order (older, or same instant and smaller id). */
export function isAfter(at: string, id: string, c: Cursor): boolean {
  return newestFirst(at, id, c.at, c.id) > 0;
}

/**
 * Partitions newest first, without those entirely outside [from, to) or newer than the cursor's
 * day. Bounds are ISO instants or days; both compare as strings against the UTC instants the
 * records carry.
 */
function* daysInRange(partitions: Partitions, from: string | undefined, to: string | undefined, after: Cursor | undefined): Generator<Partition> {
  const fromDay = from?.slice(0, 10);
  const toDay = to?.slice(0, 10);
  const afterDay = after?.at.slice(0, 10);
  for (const p of partitions.newestFirst()) {
    if (toDay !== undefined && p.day > toDay) continue;
    if (afterDay !== undefined && p.day > afterDay) continue;
    if (fromDay !== undefined && p.day < fromDay) return;
    yield p;
  }
}

function newestFirst(at1: string, id1: string, at2: string, id2: string): number {
  if (at1 !== at2) return at1 > at2 ? -1 : 1;
  return id1 === id2 ? 0 : id1 > id2 ? -1 : 1;
}
