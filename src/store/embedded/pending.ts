/** @module Changes committed but not yet durable: what `latest()` shows on top of the acknowledged state. */
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { Change } from '../types.ts';
import { RETENTION_FLOOR_KEY } from '../changes.ts';

/** A removal in flight (collection values are JSON, so no stored value is this symbol). */
export const REMOVED: unique symbol = Symbol('removed');
export type Slot<T> = T | typeof REMOVED;

/**
 * The newest in-flight value per key, with how many in-flight changes touch that key: when the last
 * of them is acknowledged (applied to the state), the key leaves. Holding only what is in flight
 * (a batch or two), this replaces a second full copy of the state and its indexes.
 */
export class Pending {
  readonly attempts = new Map<string, Slot<CallAttempt>>();
  readonly missed = new Map<string, Slot<MissedCall>>();
  readonly teams = new Map<string, Slot<Team>>();
  readonly phones = new Map<string, Slot<Phone>>();
  readonly meta = new Map<string, unknown>();
  readonly collections = new Map<string, Map<string, unknown>>();
  /** The highest retention floor in flight ('' = none). */
  floor = '';
  readonly #count = new Map<string, number>();
  /** In-flight ids per `destination|team SEP caller key` and per PBX call id: correlation asks by these on every event. */
  readonly #attemptsByCaller = new Map<string, Set<string>>();
  readonly #missedByCaller = new Map<string, Set<string>>();
  readonly #attemptByPbx = new Map<string, string>();

  /** In-flight attempts of one destination and caller (or removals: REMOVED is never listed). */
  attemptsOfCaller(destination: string, callerKey: string): CallAttempt[] {
    return this.#values(this.attempts, this.#attemptsByCaller.get(destination + SEP + callerKey));
  }

  missedOfCaller(team: string, callerKey: string): MissedCall[] {
    return this.#values(this.missed, this.#missedByCaller.get(team + SEP + callerKey));
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    const id = this.#attemptByPbx.get(pbxCallId);
    const a = id === undefined ? undefined : this.attempts.get(id);
    return a === undefined || a === REMOVED || a.pbxCallId !== pbxCallId ? undefined : a;
  }

  get size(): number {
    return this.#count.size;
  }

  add(change: Change): void {
    switch (change.t) {
      case 'team': this.#set(this.teams, 't', change.v.id, change.v); break;
      case 'del-team': this.#set(this.teams, 't', change.id, REMOVED); break;
      case 'phone': this.#set(this.phones, 'p', change.v.mac, change.v); break;
      case 'del-phone': this.#set(this.phones, 'p', change.mac, REMOVED); break;
      case 'attempt':
        this.#unbucketAttempt(change.v.id);
        this.#set(this.attempts, 'a', change.v.id, change.v);
        bucket(this.#attemptsByCaller, change.v.destination + SEP + change.v.caller.key, change.v.id, true);
        if (change.v.pbxCallId !== null) this.#attemptByPbx.set(change.v.pbxCallId, change.v.id);
        break;
      case 'missed':
        this.#unbucketMissed(change.v.id);
        this.#set(this.missed, 'm', change.v.id, change.v);
        bucket(this.#missedByCaller, change.v.team + SEP + change.v.caller.key, change.v.id, true);
        break;
      case 'del-missed':
        this.#unbucketMissed(change.id);
        this.#set(this.missed, 'm', change.id, REMOVED);
        break;
      case 'put': this.#set(this.#collection(change.c), `c${change.c}`, change.id, change.v); break;
      case 'del': this.#set(this.#collection(change.c), `c${change.c}`, change.id, REMOVED); break;
      case 'meta':
        if (change.key === RETENTION_FLOOR_KEY && typeof change.value === 'string' && change.value > this.floor) this.floor = change.value;
        this.#set(this.meta, 'k', change.key, change.value);
        break;
    }
  }

  /** The change is acknowledged (now in the state): its key leaves once nothing newer is in flight. */
  settle(change: Change): void {
    switch (change.t) {
      case 'team': this.#unset(this.teams, 't', change.v.id); break;
      case 'del-team': this.#unset(this.teams, 't', change.id); break;
      case 'phone': this.#unset(this.phones, 'p', change.v.mac); break;
      case 'del-phone': this.#unset(this.phones, 'p', change.mac); break;
      case 'attempt': this.#unset(this.attempts, 'a', change.v.id, () => this.#unbucketAttempt(change.v.id)); break;
      case 'missed': this.#unset(this.missed, 'm', change.v.id, () => this.#unbucketMissed(change.v.id)); break;
      case 'del-missed': this.#unset(this.missed, 'm', change.id, () => this.#unbucketMissed(change.id)); break;
      case 'put':
      case 'del': this.#unset(this.#collection(change.c), `c${change.c}`, change.id); break;
      case 'meta': this.#unset(this.meta, 'k', change.key); break;
    }
  }

  /** Everything in flight was refused (journal failure). */
  clear(): void {
    for (const m of [this.attempts, this.missed, this.teams, this.phones, this.meta, this.collections, this.#count,
      this.#attemptsByCaller, this.#missedByCaller, this.#attemptByPbx]) m.clear();
    this.floor = '';
  }

  #collection(name: string): Map<string, unknown> {
    let c = this.collections.get(name);
    if (c === undefined) this.collections.set(name, (c = new Map()));
    return c;
  }

  #set<V>(map: Map<string, V>, kind: string, id: string, value: V): void {
    map.set(id, value);
    const key = kind + '\u0000' + id;
    this.#count.set(key, (this.#count.get(key) ?? 0) + 1);
  }

  /** Returns whether the key left (nothing newer in flight); `leaving` runs just before. */
  #unset<V>(map: Map<string, V>, kind: string, id: string, leaving?: () => void): boolean {
    const key = kind + '\u0000' + id;
    const n = (this.#count.get(key) ?? 0) - 1;
    if (n > 0) {
      this.#count.set(key, n);
      return false;
    }
    leaving?.();
    this.#count.delete(key);
    map.delete(id);
    if (this.#count.size === 0) this.floor = '';
    return true;
  }

  #unbucketAttempt(id: string): void {
    const a = this.attempts.get(id);
    if (a === undefined || a === REMOVED) return;
    bucket(this.#attemptsByCaller, a.destination + SEP + a.caller.key, id, false);
    if (a.pbxCallId !== null && this.#attemptByPbx.get(a.pbxCallId) === id) this.#attemptByPbx.delete(a.pbxCallId);
  }

  #unbucketMissed(id: string): void {
    const m = this.missed.get(id);
    if (m === undefined || m === REMOVED) return;
    bucket(this.#missedByCaller, m.team + SEP + m.caller.key, id, false);
  }

  #values<T>(map: Map<string, Slot<T>>, ids: Set<string> | undefined): T[] {
    const out: T[] = [];
    for (const id of ids ?? []) {
      const v = map.get(id);
      if (v !== undefined && v !== REMOVED) out.push(v);
    }
    return out;
  }
}

const SEP = '\u0000';

function bucket(map: Map<string, Set<string>>, key: string, id: string, add: boolean): void {
  let ids = map.get(key);
  if (add) {
    if (ids === undefined) map.set(key, (ids = new Set()));
    ids.add(id);
    return;
  }
  ids?.delete(id);
  if (ids?.size === 0) map.delete(key);
}
