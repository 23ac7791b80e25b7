/** @module The PostgreSQL engine's memory: inventory, settings, collections, open entries and the hot days' calls. */
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { Change } from '../types.ts';
import { RETENTION_FLOOR_KEY } from '../changes.ts';
import { dayOf, isDay } from '../days.ts';
import { isOpen, MemoryIndex } from '../memory-index.ts';

/**
 * What hot reads are served from, kept by the same deterministic `apply` for the acknowledged
 * state and for the working state (acknowledged + in flight). Call data is held when it is open
 * (pending/assigned) or filed on one of the newest `hotDays` days holding data; older closed
 * records leave memory (the database has them all). Records are shared, never mutated.
 */
export class HotSet {
  readonly teams = new Map<string, Team>();
  readonly phones = new Map<string, Phone>();
  readonly meta = new Map<string, unknown>();
  readonly collections = new Map<string, Map<string, unknown>>();
  readonly attempts = new Map<string, { day: string; v: CallAttempt }>();
  readonly missed = new Map<string, { day: string; v: MissedCall }>();
  readonly index = new MemoryIndex();
  readonly hotDays: number;
  /** The newest days holding data, ascending, at most `hotDays` of them. */
  #recent: string[];
  floor = '';
  /** Per hot day, a number that changes whenever one of its records does (memo key of values derived from memory). */
  readonly #versions = new Map<string, number>();

  constructor(hotDays: number, recentDays: readonly string[]) {
    this.hotDays = Math.max(1, hotDays);
    this.#recent = [...recentDays].sort().slice(-this.hotDays);
  }

  /** Oldest hot day ('' while there is no data: everything is hot). */
  get hotFrom(): string {
    return this.#recent.length < this.hotDays ? '' : (this.#recent[0] ?? '');
  }

  get recentDays(): readonly string[] {
    return this.#recent;
  }

  /** Same rule as the embedded engine: false = call data below the retention floor, ignored. */
  apply(change: Change): boolean {
    switch (change.t) {
      case 'team':
        this.teams.set(change.v.id, change.v);
        return true;
      case 'del-team':
        this.teams.delete(change.id);
        return true;
      case 'phone':
        this.phones.set(change.v.mac, change.v);
        this.index.putPhone(change.v);
        return true;
      case 'del-phone':
        this.phones.delete(change.mac);
        this.index.removePhone(change.mac);
        return true;
      case 'attempt':
        return this.putAttempt(change.v);
      case 'missed':
        return this.putMissed(change.v);
      case 'del-missed':
        this.#dropMissed(change.id);
        return true;
      case 'put':
        this.collection(change.c).set(change.id, change.v);
        return true;
      case 'del':
        this.collection(change.c).delete(change.id);
        return true;
      case 'meta':
        if (change.key === RETENTION_FLOOR_KEY) return this.raiseFloor(change.value);
        if (change.value === undefined) this.meta.delete(change.key);
        else this.meta.set(change.key, change.value);
        return true;
    }
  }

  /** True when every record of `day` is in memory (a hot day). */
  isHot(day: string): boolean {
    return day >= this.hotFrom && day >= this.floor;
  }

  /** Changes whenever a record of `day` held here changes (only meaningful for a hot day). */
  dayVersion(day: string): number {
    return this.#versions.get(day) ?? 0;
  }

  /** A hot day's records in the order the database lists them (by first instant, then id). */
  dayRecords(day: string): { attempts: CallAttempt[]; missed: MissedCall[] } {
    const attempts: CallAttempt[] = [];
    for (const a of this.attempts.values()) if (a.day === day) attempts.push(a.v);
    const missed: MissedCall[] = [];
    for (const m of this.missed.values()) if (m.day === day) missed.push(m.v);
    attempts.sort((x, y) => order(x.firstRingAt, y.firstRingAt) || order(x.id, y.id));
    missed.sort((x, y) => order(x.firstAt, y.firstAt) || order(x.id, y.id));
    return { attempts, missed };
  }

  #touch(day: string | undefined): void {
    if (day !== undefined) this.#versions.set(day, (versionCounter += 1));
  }

  putAttempt(a: CallAttempt): boolean {
    const day = dayOf(a.firstRingAt);
    if (day < this.floor) return false;
    this.#seeDay(day);
    this.#touch(this.attempts.get(a.id)?.day);
    this.#touch(day);
    this.attempts.delete(a.id);
    this.index.removeAttempt(a.id);
    if (day >= this.hotFrom) {
      this.attempts.set(a.id, { day, v: a });
      this.index.putAttempt(a);
    }
    return true;
  }

  putMissed(m: MissedCall): boolean {
    const day = dayOf(m.firstAt);
    if (day < this.floor) return false;
    this.#seeDay(day);
    this.#dropMissed(m.id);
    this.#touch(day);
    if (isOpen(m.status) || day >= this.hotFrom) {
      this.missed.set(m.id, { day, v: m });
      this.index.putMissed(m);
    }
    return true;
  }

  collection(name: string): Map<string, unknown> {
    let c = this.collections.get(name);
    if (c === undefined) this.collections.set(name, (c = new Map()));
    return c;
  }

  raiseFloor(value: unknown): boolean {
    if (!isDay(value)) return false;
    if (value > this.floor) this.floor = value;
    this.meta.set(RETENTION_FLOOR_KEY, this.floor);
    this.#recent = this.#recent.filter((d) => d >= this.floor);
    this.#evict((day) => day < this.floor, (day) => day < this.floor);
    return true;
  }

  /** A record on a day newer than every hot day makes that day hot and the oldest one cold. */
  #seeDay(day: string): void {
    if (this.#recent.includes(day)) return;
    const oldFrom = this.hotFrom;
    if (this.#recent.length >= this.hotDays && day < oldFrom) return;
    this.#recent = [...this.#recent, day].sort().slice(-this.hotDays);
    const from = this.hotFrom;
    if (from > oldFrom) this.#evict((d) => d < from, (d, m) => d < from && !isOpen(m.status));
  }

  #evict(attempt: (day: string) => boolean, missed: (day: string, m: MissedCall) => boolean): void {
    for (const [id, a] of this.attempts) {
      if (!attempt(a.day)) continue;
      this.attempts.delete(id);
      this.index.removeAttempt(id);
    }
    for (const [id, m] of this.missed) if (missed(m.day, m.v)) this.#dropMissed(id);
  }

  #dropMissed(id: string): void {
    this.#touch(this.missed.get(id)?.day);
    this.missed.delete(id);
    this.index.removeMissed(id);
  }
}

/** Shared by every HotSet, so a version never repeats across a reload (memo entries also hold their HotSet). */
let versionCounter = 0;

/** Byte order for the ASCII instants and ids, as `COLLATE "C"` sorts them. */
function order(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An equal copy sharing the records: after a failed commit, the working state starts over from it. */
export function copyHotSet(src: HotSet): HotSet {
  const s = new HotSet(src.hotDays, src.recentDays);
  s.floor = src.floor;
  for (const [id, t] of src.teams) s.teams.set(id, t);
  for (const [mac, p] of src.phones) {
    s.phones.set(mac, p);
    s.index.putPhone(p);
  }
  for (const [k, v] of src.meta) s.meta.set(k, v);
  for (const [c, records] of src.collections) s.collections.set(c, new Map(records));
  for (const [id, a] of src.attempts) {
    s.attempts.set(id, a);
    s.index.putAttempt(a.v);
  }
  for (const [id, m] of src.missed) {
    s.missed.set(id, m);
    s.index.putMissed(m.v);
  }
  return s;
}
