/** @module `latest()`: the acknowledged hot set with the changes still in flight on top. */
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { CollectionName, Collections, StoreReads } from '../types.ts';
import { compareDesc, isOpen } from '../memory-index.ts';
import { type Pending, REMOVED, type Slot } from './pending.ts';
import type { StateReads } from './state-reads.ts';
import type { StoreState } from './state.ts';

/**
 * Every read asks the in-flight overlay first. Mostly it is empty or holds a batch or two, so the
 * merges below cost a scan of a few dozen entries, never of the state.
 */
export class LatestReads implements StoreReads {
  readonly #state: StoreState;
  readonly #base: StateReads;
  readonly #p: Pending;

  constructor(state: StoreState, base: StateReads, pending: Pending) {
    this.#state = state;
    this.#base = base;
    this.#p = pending;
  }

  teams(): Team[] {
    return merged(this.#state.teams, this.#p.teams);
  }

  team(id: string): Team | undefined {
    return this.#p.teams.has(id) ? value(this.#p.teams.get(id)) : this.#base.team(id);
  }

  phones(): Phone[] {
    return merged(this.#state.phones, this.#p.phones);
  }

  phone(mac: string): Phone | undefined {
    return this.#p.phones.has(mac) ? value(this.#p.phones.get(mac)) : this.#base.phone(mac);
  }

  phoneByToken(token: string): Phone | undefined {
    for (const p of this.#p.phones.values()) if (p !== REMOVED && p.token === token) return p;
    const b = this.#base.phoneByToken(token);
    return b !== undefined && this.#p.phones.has(b.mac) ? undefined : b;
  }

  attempt(id: string): CallAttempt | undefined {
    return this.#p.attempts.has(id) ? value(this.#p.attempts.get(id)) : this.#base.attempt(id);
  }

  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    const base = this.#base.recentAttempts(destination, callerKey, since);
    if (this.#p.attempts.size === 0) return base;
    const out = base.filter((a) => !this.#p.attempts.has(a.id));
    for (const a of this.#p.attemptsOfCaller(destination, callerKey)) if (a.lastEventAt >= since) out.push(a);
    return out.sort((x, y) => compareDesc(x.lastEventAt, x.id, y.lastEventAt, y.id));
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    const p = this.#p.attemptByPbxId(pbxCallId);
    if (p !== undefined) return p;
    const b = this.#base.attemptByPbxId(pbxCallId);
    return b !== undefined && this.#p.attempts.has(b.id) ? undefined : b;
  }

  missedCall(id: string): MissedCall | undefined {
    return this.#p.missed.has(id) ? value(this.#p.missed.get(id)) : this.#base.missedCall(id);
  }

  openMissed(team: string): MissedCall[] {
    const base = this.#base.openMissed(team);
    if (this.#p.missed.size === 0) return base;
    const out = base.filter((m) => !this.#p.missed.has(m.id));
    for (const m of this.#p.missed.values()) if (m !== REMOVED && m.team === team && isOpen(m.status)) out.push(m);
    return out.sort((x, y) => compareDesc(x.lastAt, x.id, y.lastAt, y.id));
  }

  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    if (this.#p.missed.size === 0) return this.#base.openMissedByCaller(team, callerKey);
    let best: MissedCall | undefined;
    const consider = (m: MissedCall): void => {
      if (best === undefined || compareDesc(m.lastAt, m.id, best.lastAt, best.id) < 0) best = m;
    };
    for (const m of this.#state.index.openMissedOfCaller(team, callerKey)) if (!this.#p.missed.has(m.id)) consider(m);
    for (const m of this.#p.missedOfCaller(team, callerKey)) if (isOpen(m.status)) consider(m);
    return best;
  }

  list<K extends CollectionName>(c: K): Collections[K][] {
    const over = this.#p.collections.get(c);
    if (over === undefined || over.size === 0) return this.#base.list(c);
    return merged(this.#state.collections.get(c) ?? new Map(), over as Map<string, Slot<unknown>>) as Collections[K][];
  }

  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined {
    const over = this.#p.collections.get(c);
    if (over?.has(id) === true) return value(over.get(id) as Slot<Collections[K]>);
    return this.#base.get(c, id);
  }

  meta<T>(key: string): T | undefined {
    return (this.#p.meta.has(key) ? this.#p.meta.get(key) : this.#base.meta(key)) as T | undefined;
  }
}

function value<T>(v: Slot<T> | undefined): T | undefined {
  return v === REMOVED ? undefined : v;
}

/** The base map's values with the overlay applied, in the order applying it would give. */
function merged<T>(base: ReadonlyMap<string, T>, over: ReadonlyMap<string, Slot<T>>): T[] {
  if (over.size === 0) return [...base.values()];
  const m = new Map(base);
  for (const [k, v] of over) {
    if (v === REMOVED) m.delete(k);
    else m.set(k, v);
  }
  return [...m.values()];
}
