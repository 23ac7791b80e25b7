/** @module The whole store in memory and the one function that applies a Change to it (live and on replay). */
import type { CallAttempt, MissedCall, Phone, Team } from '../domain/types.ts';
import type { Change } from './types.ts';
import { RETENTION_FLOOR_KEY } from './changes.ts';
import { dayOf, isDay } from './days.ts';
import { MemoryIndex } from './memory-index.ts';
import { Partitions } from './partitions.ts';

/**
 * Entity maps, day partitions and indexes. `apply` is deterministic and is used both by commit and
 * by journal replay, so replaying a journal rebuilds exactly the state the writer had.
 */
export class StoreState {
  readonly teams = new Map<string, Team>();
  readonly phones = new Map<string, Phone>();
  readonly meta = new Map<string, unknown>();
  /** collection name → id → record */
  readonly collections = new Map<string, Map<string, unknown>>();
  readonly partitions = new Partitions();
  readonly index = new MemoryIndex();
  /** teams, phones or meta changed since the last snapshot of config.json */
  configDirty = false;
  /** Retention floor: no call data of a day before it exists. '' = none ('' sorts before any day). */
  floor = '';

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

  /** Upserts; returns the day it was filed under before (undefined if new), or false if below the floor. */
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

  /** Loads config.json contents (no dirty marking: this is what is on disk). */
  collection(name: string): Map<string, unknown> {
    let c = this.collections.get(name);
    if (c === undefined) {
      c = new Map();
      this.collections.set(name, c);
    }
    return c;
  }

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
    return this.configDirty || this.partitions.hasDirty();
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
      for (const id of p.missed.keys()) this.index.removeMissed(id);
    }
    return true;
  }
}

/**
 * A state equal to `src` (same records, same filing, same indexes), sharing its immutable records.
 * O(records): run at open and after a journal failure, never per change.
 */
export function copyState(src: StoreState): StoreState {
  const s = new StoreState();
  for (const [id, team] of src.teams) s.teams.set(id, team);
  for (const [mac, phone] of src.phones) {
    s.phones.set(mac, phone);
    s.index.putPhone(phone);
  }
  for (const [key, value] of src.meta) s.meta.set(key, value);
  for (const [name, records] of src.collections) s.collections.set(name, new Map(records));
  s.floor = src.floor;
  for (const day of src.partitions.days()) {
    const p = src.partitions.get(day);
    for (const a of p?.attempts.values() ?? []) s.putAttempt(a);
    for (const m of p?.missed.values() ?? []) s.putMissed(m);
  }
  return s;
}
