/** @module Call data in memory per UTC day: whole hot days, and what cold days hold beyond their files. */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { isOpen } from '../memory-index.ts';

/**
 * One day's call data in memory. A `complete` partition holds every record of the day (a hot day,
 * or a day that has no file yet); a snapshot writes it as `calls/<day>.json`. A cold partition holds
 * only the day's open entries and the changes not yet merged into its file (the overlay): the file
 * holds the rest, minus the `gone` ids (deleted, or moved to another day).
 */
export interface Partition {
  readonly day: string;
  readonly attempts: Map<string, CallAttempt>;
  readonly missed: Map<string, MissedCall>;
  complete: boolean;
  readonly goneAttempts: Set<string>;
  readonly goneMissed: Set<string>;
  /** Grows with every change to the day: the memo key of sorted views and derived values. */
  version: number;
  /**
   * Newest first, built on demand for history reads of a complete day. A change does not drop them:
   * its id is noted, and the next read patches a copy (readers still iterating keep the old array).
   */
  sortedAttempts: CallAttempt[] | null;
  sortedMissed: MissedCall[] | null;
  /** Ids put or removed since the sorted arrays were built. */
  readonly changedAttempts: Set<string>;
  readonly changedMissed: Set<string>;
  /**
   * The file generation (StoreState.fileGeneration) that holds every record of this complete day
   * as memory holds it, except the `unwritten` ids; null when unknown. A snapshot copies the other
   * records' lines from that file instead of stringifying them again (day-file-reuse.ts).
   */
  written: number | null;
  unwrittenAttempts: Set<string>;
  unwrittenMissed: Set<string>;
}

/**
 * The partitions plus id → day maps of what is in memory (a record whose filing instant changes
 * moves to its new day). Every change marks its day dirty, so a snapshot writes only what changed.
 */
export class Partitions {
  readonly #byDay = new Map<string, Partition>();
  /** Ascending; exactly the keys of #byDay. */
  #days: string[] = [];
  readonly #attemptDay = new Map<string, string>();
  readonly #missedDay = new Map<string, string>();
  readonly #dirty = new Set<string>();
  /** Whether a day has a file: a new partition of such a day starts cold (its file holds the rest). */
  readonly #onDisk: (day: string) => boolean;
  /** Grows when a day is added or removed: the hot window is recomputed then. */
  daysVersion = 0;
  /** Missed-call ids deleted while not in memory (their day is unknown): filtered from cold reads until a snapshot finds them. */
  readonly goneMissedAnywhere = new Set<string>();

  constructor(onDisk: (day: string) => boolean) {
    this.#onDisk = onDisk;
  }

  attempt(id: string): CallAttempt | undefined {
    const day = this.#attemptDay.get(id);
    return day === undefined ? undefined : this.#byDay.get(day)?.attempts.get(id);
  }

  missed(id: string): MissedCall | undefined {
    const day = this.#missedDay.get(id);
    return day === undefined ? undefined : this.#byDay.get(day)?.missed.get(id);
  }

  attemptDayOf(id: string): string | undefined {
    return this.#attemptDay.get(id);
  }

  missedDayOf(id: string): string | undefined {
    return this.#missedDay.get(id);
  }

  /** Upserts; returns the day the record was filed under before, if it was in memory. */
  putAttempt(a: CallAttempt, day: string): string | undefined {
    const before = this.#attemptDay.get(a.id);
    if (before !== undefined && before !== day) this.removeAttempt(a.id);
    const p = this.#ensure(day);
    p.attempts.set(a.id, a);
    p.goneAttempts.delete(a.id);
    this.#attemptDay.set(a.id, day);
    this.#touch(p, p.changedAttempts, p.unwrittenAttempts, a.id);
    return before;
  }

  /** Removes from memory and, for a cold day, remembers that its file's copy is gone. */
  removeAttempt(id: string): string | undefined {
    const day = this.#attemptDay.get(id);
    if (day === undefined) return undefined;
    this.#attemptDay.delete(id);
    const p = this.#byDay.get(day);
    if (p === undefined) return day;
    p.attempts.delete(id);
    if (!p.complete) p.goneAttempts.add(id);
    this.#touch(p, p.changedAttempts, p.unwrittenAttempts, id);
    return day;
  }

  putMissed(m: MissedCall, day: string): string | undefined {
    const before = this.#missedDay.get(m.id);
    if (before !== undefined && before !== day) this.removeMissed(m.id);
    const p = this.#ensure(day);
    p.missed.set(m.id, m);
    p.goneMissed.delete(m.id);
    this.goneMissedAnywhere.delete(m.id);
    this.#missedDay.set(m.id, day);
    this.#touch(p, p.changedMissed, p.unwrittenMissed, m.id);
    return before;
  }

  /** A missed call not in memory is in some cold day's file: remembered until a snapshot finds it. */
  removeMissed(id: string): string | undefined {
    const day = this.#missedDay.get(id);
    if (day === undefined) {
      this.goneMissedAnywhere.add(id);
      return undefined;
    }
    this.#missedDay.delete(id);
    const p = this.#byDay.get(day);
    if (p === undefined) return day;
    p.missed.delete(id);
    if (!p.complete) p.goneMissed.add(id);
    this.#touch(p, p.changedMissed, p.unwrittenMissed, id);
    return day;
  }

  /**
   * The day's file (generation `generation`) holds every record memory holds now: later puts and
   * removals are noted as unwritten from here on.
   */
  markWritten(p: Partition, generation: number): void {
    p.written = generation;
    p.unwrittenAttempts.clear();
    p.unwrittenMissed.clear();
  }

  /** What the file holds is not known (a failed write, an eviction): the next write stringifies every record. */
  unknownWritten(p: Partition): void {
    p.written = null;
    p.unwrittenAttempts.clear();
    p.unwrittenMissed.clear();
  }

  /** A day about to be loaded whole from its file (a hot day at open). */
  loadWhole(day: string): void {
    this.#ensure(day).complete = true;
  }

  get(day: string): Partition | undefined {
    return this.#byDay.get(day);
  }

  /** Days with a partition, ascending (a copy). */
  allDays(): string[] {
    return this.#days.slice();
  }

  /** Days holding at least one record in memory, oldest first. */
  days(): string[] {
    return this.#days.filter((day) => {
      const p = this.#byDay.get(day);
      return p !== undefined && (p.attempts.size > 0 || p.missed.size > 0);
    });
  }

  /**
   * Turns a day cold: keeps its open entries only, forgets its overlay (its file now holds it).
   * Returns the records dropped, for the indexes.
   */
  reduce(day: string): { attempts: CallAttempt[]; missed: MissedCall[] } {
    const p = this.#byDay.get(day);
    const out = { attempts: [] as CallAttempt[], missed: [] as MissedCall[] };
    if (p === undefined) return out;
    for (const a of p.attempts.values()) {
      out.attempts.push(a);
      this.#attemptDay.delete(a.id);
    }
    p.attempts.clear();
    for (const m of p.missed.values()) {
      if (isOpen(m.status)) continue;
      out.missed.push(m);
      p.missed.delete(m.id);
      this.#missedDay.delete(m.id);
    }
    p.goneAttempts.clear();
    p.goneMissed.clear();
    p.complete = false;
    p.sortedAttempts = null;
    p.sortedMissed = null;
    p.changedAttempts.clear();
    p.changedMissed.clear();
    this.unknownWritten(p);
    p.version += 1;
    if (p.missed.size === 0) this.#forget(day);
    return out;
  }

  /** Forgets every day before `day` (memory and dirty flags); returns the removed partitions. */
  dropBefore(day: string): Partition[] {
    const dropped: Partition[] = [];
    while (this.#days.length > 0 && (this.#days[0] ?? '') < day) {
      const d = this.#days[0] ?? '';
      const p = this.#byDay.get(d);
      this.#dirty.delete(d);
      this.#forget(d);
      if (p === undefined) continue;
      for (const id of p.attempts.keys()) this.#attemptDay.delete(id);
      for (const id of p.missed.keys()) this.#missedDay.delete(id);
      dropped.push(p);
    }
    return dropped;
  }

  /** Forgets a day that holds nothing in memory and has nothing to merge (its file is being deleted, or it is cold and empty). */
  forgetIfEmpty(day: string): boolean {
    const p = this.#byDay.get(day);
    if (p === undefined || p.attempts.size > 0 || p.missed.size > 0 || p.goneAttempts.size > 0 || p.goneMissed.size > 0) return false;
    this.#forget(day);
    return true;
  }

  hasDirty(): boolean {
    return this.#dirty.size > 0;
  }

  isDirty(day: string): boolean {
    return this.#dirty.has(day);
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

  /** Records in memory (what the hot set costs). */
  get recordCount(): number {
    return this.#attemptDay.size + this.#missedDay.size;
  }

  get attemptCount(): number {
    return this.#attemptDay.size;
  }

  get missedCount(): number {
    return this.#missedDay.size;
  }

  #touch(p: Partition, changed: Set<string>, unwritten: Set<string>, id: string): void {
    p.version += 1;
    if (p.sortedAttempts !== null || p.sortedMissed !== null) changed.add(id);
    if (p.written !== null) unwritten.add(id);
    this.#dirty.add(p.day);
  }

  #ensure(day: string): Partition {
    let p = this.#byDay.get(day);
    if (p === undefined) {
      p = {
        day, attempts: new Map(), missed: new Map(), complete: !this.#onDisk(day), goneAttempts: new Set(),
        goneMissed: new Set(), version: 0, sortedAttempts: null, sortedMissed: null,
        changedAttempts: new Set(), changedMissed: new Set(), written: null, unwrittenAttempts: new Set(), unwrittenMissed: new Set(),
      };
      this.#byDay.set(day, p);
      insertSorted(this.#days, day);
      this.daysVersion += 1;
    }
    return p;
  }

  #forget(day: string): void {
    if (!this.#byDay.delete(day)) return;
    this.#days = this.#days.filter((d) => d !== day);
    this.daysVersion += 1;
  }
}

function insertSorted(days: string[], day: string): void {
  // New days almost always come last (today), so search from the end.
  let i = days.length;
  while (i > 0 && (days[i - 1] ?? '') > day) i--;
  days.splice(i, 0, day);
}
