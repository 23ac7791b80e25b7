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

  putAttempt(a: CallAttempt): boolean {
    const day = dayOf(a.firstRingAt);
    if (day < this.floor) return false;
    this.#seeDay(day);
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
    this.missed.delete(id);
    this.index.removeMissed(id);
  }
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
