/** @module The acknowledged hot set in memory and the one function that applies a Change to it (live and on replay). */
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { Change } from '../types.ts';
import { RETENTION_FLOOR_KEY } from '../changes.ts';
import { dayOf, isDay } from '../days.ts';
import { MemoryIndex } from '../memory-index.ts';
import { Partitions } from './partitions.ts';

export const DEFAULT_HOT_DAYS = 2;

/**
 * Configuration, the hot set of call data (every record of the hot days, the open entries of any
 * day, the overlay of changes to cold days not yet merged into their files) and the indexes over it.
 * `apply` is deterministic and is used both by commit and by journal replay.
 */
export class StoreState {
  readonly teams = new Map<string, Team>();
  readonly phones = new Map<string, Phone>();
  readonly meta = new Map<string, unknown>();
  /** collection name → id → record */
  readonly collections = new Map<string, Map<string, unknown>>();
  /** Days that have a file in calls/ */
  readonly onDisk = new Set<string>();
  /** Per day, grows each time its file is replaced or deleted: cold reads check it to never merge an overlay into a newer file's data. */
  readonly fileGeneration = new Map<string, number>();
  /** Days whose file is in format 1 (an earlier version's) and was read whole: the next snapshot rewrites them in format 2. */
  readonly legacyDays = new Set<string>();
  /** Days a snapshot captured and is writing: their files lag behind memory until the rename. */
  readonly writing = new Set<string>();
  /**
   * Complete days whose file a background snapshot wrote without its index and derived values (the
   * newest day, rewritten at every snapshot while events stream in): they are written by the first
   * snapshot after the day is no longer the newest, or by a flush, and the day is not evicted before.
   */
  readonly sidecarsOwed = new Set<string>();
  readonly partitions = new Partitions((day) => this.onDisk.has(day));
  readonly index = new MemoryIndex();
  readonly hotDays: number;
  /** teams, phones or meta changed since the last snapshot of config.json */
  configDirty = false;
  /** Retention floor: no call data of a day before it exists. '' = none ('' sorts before any day). */
  floor = '';
  #onDiskVersion = 0;
  #hot: { key: string; days: Set<string> } = { key: '', days: new Set() };

  constructor(hotDays = DEFAULT_HOT_DAYS) {
    this.hotDays = Math.max(1, hotDays);
  }

  /**
   * Applies one (already validated) change. Returns false when it is ignored: call data filed on a
   * day below the retention floor, which would otherwise resurrect a dropped day.
   */
  apply(change: Change): boolean {
    switch (change.t) {
      case 'team':
        this.teams.set(change.v.id, change.v);
        this.configDirty = true;
        return true;
      case 'del-team':
        this.teams.delete(change.id);
        this.configDirty = true;
        return true;
      case 'phone':
        this.phones.set(change.v.mac, change.v);
        this.index.putPhone(change.v);
        this.configDirty = true;
        return true;
      case 'del-phone':
        this.phones.delete(change.mac);
        this.index.removePhone(change.mac);
        this.configDirty = true;
        return true;
      case 'attempt':
        return this.putAttempt(change.v) !== false;
      case 'missed':
        return this.putMissed(change.v) !== false;
      case 'del-missed':
        this.partitions.removeMissed(change.id);
        this.index.removeMissed(change.id);
        return true;
      case 'put':
        this.collection(change.c).set(change.id, change.v);
        this.configDirty = true;
        return true;
      case 'del':
        this.collection(change.c).delete(change.id);
        this.configDirty = true;
        return true;
      case 'meta':
        if (change.key === RETENTION_FLOOR_KEY) return this.#raiseFloor(change.value);
        if (change.value === undefined) this.meta.delete(change.key);
        else this.meta.set(change.key, change.value);
        this.configDirty = true;
        return true;
    }
  }

  /** Upserts; returns the day it was filed under before (undefined if new or not in memory), or false if below the floor. */
  putAttempt(a: CallAttempt): string | undefined | false {
    const day = dayOf(a.firstRingAt);
    if (day < this.floor) return false;
    const before = this.partitions.putAttempt(a, day);
    this.index.putAttempt(a);
    return before;
  }

  putMissed(m: MissedCall): string | undefined | false {
    const day = dayOf(m.firstAt);
    if (day < this.floor) return false;
    const before = this.partitions.putMissed(m, day);
    this.index.putMissed(m);
    return before;
  }

  collection(name: string): Map<string, unknown> {
    let c = this.collections.get(name);
    if (c === undefined) {
      c = new Map();
      this.collections.set(name, c);
    }
    return c;
  }

  /** Loads config.json contents (no dirty marking: this is what is on disk). */
  loadConfig(teams: Team[], phones: Phone[], meta: Record<string, unknown>, collections: Record<string, Record<string, unknown>> = {}): void {
    for (const [name, records] of Object.entries(collections)) this.collections.set(name, new Map(Object.entries(records)));
    for (const t of teams) this.teams.set(t.id, t);
    for (const p of phones) {
      this.phones.set(p.mac, p);
      this.index.putPhone(p);
    }
    for (const [key, value] of Object.entries(meta)) this.meta.set(key, value);
    const floor = meta[RETENTION_FLOOR_KEY];
    if (isDay(floor)) this.floor = floor;
  }

  hasDirty(): boolean {
    return this.configDirty || this.partitions.hasDirty() || this.partitions.goneMissedAnywhere.size > 0 || this.sidecarsOwed.size > 0;
  }

  markOnDisk(day: string, present: boolean): void {
    const had = this.onDisk.has(day);
    if (present) this.onDisk.add(day);
    else this.onDisk.delete(day);
    this.fileGeneration.set(day, (this.fileGeneration.get(day) ?? 0) + 1);
    if (had !== present) this.#onDiskVersion += 1;
  }

  /** Days holding call data (a file, or records in memory), oldest first. */
  knownDays(): string[] {
    const days = new Set<string>();
    // A day memory holds whole and empty has nothing left, whatever its file still says.
    for (const d of this.onDisk) if (this.partitions.get(d)?.complete !== true) days.add(d);
    for (const d of this.partitions.days()) days.add(d);
    return [...days].sort();
  }

  /** The newest `hotDays` days holding data. */
  hotSet(): Set<string> {
    const key = `${this.#onDiskVersion}:${this.partitions.daysVersion}`;
    if (this.#hot.key !== key) this.#hot = { key, days: new Set(this.knownDays().slice(-this.hotDays)) };
    return this.#hot.days;
  }

  isHotDay(day: string): boolean {
    return this.hotSet().has(day);
  }

  /** Complete days that left the hot window: to be written (if dirty) and then evicted. */
  retiring(): string[] {
    const hot = this.hotSet();
    return this.partitions.allDays().filter((d) => !hot.has(d) && this.partitions.get(d)?.complete === true);
  }

  /** Evicts clean days outside the hot window that have a file: keeps their open entries only. */
  evictCold(): number {
    let evicted = 0;
    for (const day of this.retiring()) {
      if (this.partitions.isDirty(day) || !this.onDisk.has(day) || this.sidecarsOwed.has(day)) continue;
      this.#dropFromIndex(this.partitions.reduce(day));
      evicted += 1;
    }
    return evicted;
  }

  /** After a cold day's overlay was merged into its file: memory keeps its open entries only. */
  settleCold(day: string): void {
    const p = this.partitions.get(day);
    if (p === undefined || p.complete || this.partitions.isDirty(day)) return;
    this.#dropFromIndex(this.partitions.reduce(day));
  }

  #dropFromIndex(r: { attempts: CallAttempt[]; missed: MissedCall[] }): void {
    for (const a of r.attempts) this.index.removeAttempt(a.id);
    for (const m of r.missed) this.index.removeMissed(m.id);
  }

  /**
   * Moves the floor up (never down) and forgets every day below it, with its index entries. The
   * effective floor is what lands in meta, so config.json and replay always agree on it.
   */
  #raiseFloor(value: unknown): boolean {
    if (!isDay(value)) return false;
    if (value > this.floor) this.floor = value;
    this.meta.set(RETENTION_FLOOR_KEY, this.floor);
    this.configDirty = true;
    for (const p of this.partitions.dropBefore(this.floor)) {
      for (const id of p.attempts.keys()) this.index.removeAttempt(id);
      for (const m of p.missed.values()) {
        this.index.removeMissed(m.id);
      }
    }
    return true;
  }
}
