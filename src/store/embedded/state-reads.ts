/** @module The hot reads of the acknowledged state: what screens, correlation and services read synchronously. */
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { CollectionName, Collections, StoreReads } from '../types.ts';
import { isOpen } from '../memory-index.ts';
import type { StoreState } from './state.ts';

export class StateReads implements StoreReads {
  readonly #state: StoreState;

  constructor(state: StoreState) {
    this.#state = state;
  }

  teams(): Team[] {
    return [...this.#state.teams.values()];
  }

  team(id: string): Team | undefined {
    return this.#state.teams.get(id);
  }

  phones(): Phone[] {
    return [...this.#state.phones.values()];
  }

  phone(mac: string): Phone | undefined {
    return this.#state.phones.get(mac);
  }

  phoneByToken(token: string): Phone | undefined {
    const mac = this.#state.index.macByToken(token);
    const phone = mac === undefined ? undefined : this.#state.phones.get(mac);
    return phone?.token === token ? phone : undefined;
  }

  /** Hot records only: memory may also hold a cold day's overlay until its snapshot, which is history. */
  attempt(id: string): CallAttempt | undefined {
    const day = this.#state.partitions.attemptDayOf(id);
    return day !== undefined && this.#state.isHotDay(day) ? this.#state.partitions.attempt(id) : undefined;
  }

  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    return this.#state.index.recentAttempts(destination, callerKey, since);
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    return this.#state.index.attemptByPbxId(pbxCallId);
  }

  /** An open entry, or one filed on a hot day. */
  missedCall(id: string): MissedCall | undefined {
    const m = this.#state.partitions.missed(id);
    if (m === undefined || isOpen(m.status)) return m;
    return this.#state.isHotDay(this.#state.partitions.missedDayOf(id) ?? '') ? m : undefined;
  }

  openMissed(team: string): MissedCall[] {
    return this.#state.index.openMissed(team);
  }

  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    return this.#state.index.openMissedByCaller(team, callerKey);
  }

  list<K extends CollectionName>(c: K): Collections[K][] {
    return [...(this.#state.collections.get(c)?.values() ?? [])] as Collections[K][];
  }

  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined {
    return this.#state.collections.get(c)?.get(id) as Collections[K] | undefined;
  }

  meta<T>(key: string): T | undefined {
    return this.#state.meta.get(key) as T | undefined;
  }
}
