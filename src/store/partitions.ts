/** @module Call data held per UTC day: what each day file contains, and which days need rewriting. */
import type { CallAttempt, MissedCall } from '../domain/types.ts';

/** One day's call data; a snapshot writes it as `calls/<day>.json`. */
export interface Partition {
  readonly day: string;
  readonly attempts: Map<string, CallAttempt>;
  readonly missed: Map<string, MissedCall>;
  /** Newest first, built on demand for queries and dropped on any change to the day. */
  sortedAttempts: CallAttempt[] | null;
  sortedMissed: MissedCall[] | null;
}

/**
 * The day partitions plus id → day maps (a record's day can only be found from its id here, and a
 * record whose filing instant changes moves to its new day). Every change marks its day dirty, so a
 * snapshot rewrites only the days that changed since the last one.
 */
export class Partitions {
  readonly #byDay = new Map<string, Partition>();
  /** Ascending; exactly the keys of #byDay. */
  #days: string[] = [];
  readonly #attemptDay = new Map<string, string>();
  readonly #missedDay = new Map<string, string>();
  readonly #dirty = new Set<string>();

  attempt(id: string): CallAttempt | undefined {
    const day = this.#attemptDay.get(id);
    return day === undefined ? undefined : this.#byDay.get(day)?.attempts.get(id);
  }

  missed(id: string): MissedCall | undefined {
    const day = this.#missedDay.get(id);
    return day === undefined ? undefined : this.#byDay.get(day)?.missed.get(id);
  }

  /** Upserts; returns the day the record was filed under before, if any. */
  putAttempt(a: CallAttempt, day: string): string | undefined {
    const before = this.#attemptDay.get(a.id);
    if (before !== undefined && before !== day) this.removeAttempt(a.id);
    const p = this.#ensure(day);
    p.attempts.set(a.id, a);
    p.sortedAttempts = null;
    this.#attemptDay.set(a.id, day);
    this.#dirty.add(day);
    return before;
  }

  removeAttempt(id: string): string | undefined {
    const day = this.#attemptDay.get(id);
    if (day === undefined) return undefined;
    this.#attemptDay.delete(id);
    const p = this.#byDay.get(day);
    if (p?.attempts.delete(id)) p.sortedAttempts = null;
    this.#dirty.add(day);
    return day;
  }

  putMissed(m: MissedCall, day: string): string | undefined {
    const before = this.#missedDay.get(m.id);
    if (before !== undefined && before !== day) this.removeMissed(m.id);
    const p = this.#ensure(day);
    p.missed.set(m.id, m);
    p.sortedMissed = null;
    this.#missedDay.set(m.id, day);
    this.#dirty.add(day);
    return before;
  }

  removeMissed(id: string): string | undefined {
    const day = this.#missedDay.get(id);
    if (day === undefined) return undefined;
    this.#missedDay.delete(id);
    const p = this.#byDay.get(day);
    if (p?.missed.delete(id)) p.sortedMissed = null;
    this.#dirty.add(day);
    return day;
  }

  get(day: string): Partition | undefined {
    return this.#byDay.get(day);
  }

  /** Days holding at least one record, oldest first. */
  days(): string[] {
    return this.#days.filter((day) => {
      const p = this.#byDay.get(day);
      return p !== undefined && (p.attempts.size > 0 || p.missed.size > 0);
    });
  }

  /** Partitions newest day first; a copy of the day list, so changes during iteration are safe. */
  *newestFirst(): Generator<Partition> {
    const days = this.#days.slice();
    for (let i = days.length - 1; i >= 0; i--) {
      const p = this.#byDay.get(days[i] ?? '');
      if (p !== undefined) yield p;
    }
  }

  /** Forgets every day before `day` (memory and dirty flags); returns the removed partitions. */
  dropBefore(day: string): Partition[] {
    const dropped: Partition[] = [];
    while (this.#days.length > 0 && (this.#days[0] ?? '') < day) {
      const d = this.#days.shift() ?? '';
      const p = this.#byDay.get(d);
      this.#byDay.delete(d);
      this.#dirty.delete(d);
      if (p === undefined) continue;
      for (const id of p.attempts.keys()) this.#attemptDay.delete(id);
      for (const id of p.missed.keys()) this.#missedDay.delete(id);
      dropped.push(p);
    }
    return dropped;
  }

  /** Forgets an empty day (its file is being deleted). */
  forgetIfEmpty(day: string): boolean {
    const p = this.#byDay.get(day);
    if (p === undefined || p.attempts.size > 0 || p.missed.size > 0) return false;
    this.#byDay.delete(day);
    this.#days = this.#days.filter((d) => d !== day);
    return true;
  }

  hasDirty(): boolean {
    return this.#dirty.size > 0;
  }

  /** The dirty days, ascending; clears the flags (a failed snapshot marks them again). */
  takeDirty(): string[] {
    const days = [...this.#dirty].sort();
    this.#dirty.clear();
    return days;
  }

  markDirty(day: string): void {
    this.#dirty.add(day);
  }

  get attemptCount(): number {
    return this.#attemptDay.size;
  }

  get missedCount(): number {
    return this.#missedDay.size;
  }

  #ensure(day: string): Partition {
    let p = this.#byDay.get(day);
    if (p === undefined) {
      p = { day, attempts: new Map(), missed: new Map(), sortedAttempts: null, sortedMissed: null };
      this.#byDay.set(day, p);
      insertSorted(this.#days, day);
    }
    return p;
  }
}

function insertSorted(days: string[], day: string): void {
  // New days almost always come last (today), so search from the end.
  let i = days.length;
  while (i > 0 && (days[i - 1] ?? '') > day) i--;
  days.splice(i, 0, day);
}
