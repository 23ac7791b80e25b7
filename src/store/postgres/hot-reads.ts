/** @module The hot reads (StoreReads) of the PostgreSQL engine, served from one HotSet. */
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { AttemptQuery, CollectionName, Collections, MissedQuery, StoreReads } from '../types.ts';
import type { HotSet } from './hot-set.ts';

export class HotReads implements StoreReads {
  readonly #s: HotSet;

  constructor(set: HotSet) {
    this.#s = set;
  }

  teams(): Team[] {
    return [...this.#s.teams.values()];
  }

  team(id: string): Team | undefined {
    return this.#s.teams.get(id);
  }

  phones(): Phone[] {
    return [...this.#s.phones.values()];
  }

  phone(mac: string): Phone | undefined {
    return this.#s.phones.get(mac);
  }

  phoneByToken(token: string): Phone | undefined {
    const mac = this.#s.index.macByToken(token);
    const phone = mac === undefined ? undefined : this.#s.phones.get(mac);
    return phone?.token === token ? phone : undefined;
  }

  /** Hot records only (open, or on a hot day); history answers for the rest. */
  attempt(id: string): CallAttempt | undefined {
    return this.#s.attempts.get(id)?.v;
  }

  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    return this.#s.index.recentAttempts(destination, callerKey, since);
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    return this.#s.index.attemptByPbxId(pbxCallId);
  }

  missedCall(id: string): MissedCall | undefined {
    return this.#s.missed.get(id)?.v;
  }

  openMissed(team: string): MissedCall[] {
    return this.#s.index.openMissed(team);
  }

  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    return this.#s.index.openMissedByCaller(team, callerKey);
  }

  meta<T>(key: string): T | undefined {
    return this.#s.meta.get(key) as T | undefined;
  }

  list<K extends CollectionName>(c: K): Collections[K][] {
    return [...(this.#s.collections.get(c)?.values() ?? [])] as Collections[K][];
  }

  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined {
    return this.#s.collections.get(c)?.get(id) as Collections[K] | undefined;
  }

  // TEMPORARY until the history contract lands: the old synchronous scans, over the hot set only.
  *attempts(q: AttemptQuery): Iterable<CallAttempt> {
    const all = [...this.#s.attempts.values()].map((a) => a.v)
      .filter((a) => (q.destination === undefined || a.destination === q.destination)
        && (q.from === undefined || a.firstRingAt >= q.from) && (q.to === undefined || a.firstRingAt < q.to));
    yield* all.sort((a, b) => (a.firstRingAt === b.firstRingAt ? (a.id < b.id ? 1 : -1) : a.firstRingAt < b.firstRingAt ? 1 : -1));
  }

  *missedCalls(q: MissedQuery): Iterable<MissedCall> {
    const all = [...this.#s.missed.values()].map((m) => m.v)
      .filter((m) => (q.team === undefined || m.team === q.team) && (q.status === undefined || m.status === q.status)
        && (q.caller === undefined || m.caller.key === q.caller || m.caller.raw.includes(q.caller))
        && (q.from === undefined || m.firstAt >= q.from) && (q.to === undefined || m.firstAt < q.to));
    yield* all.sort((a, b) => (a.firstAt === b.firstAt ? (a.id < b.id ? 1 : -1) : a.firstAt < b.firstAt ? 1 : -1));
  }

  days(): string[] {
    return [...this.#s.recentDays];
  }
}
